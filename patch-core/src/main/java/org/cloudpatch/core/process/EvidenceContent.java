package org.cloudpatch.core.process;

import static org.cloudpatch.core.process.ProcessState.known;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.process.InFlight.ChangeState;
import org.cloudpatch.core.process.InFlight.PlannedWave;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.spi.EvidenceStore;

/**
 * The content of a closed record's evidence bundle: the advisory, its assessment, the record's
 * items with their verification, its risk items, the changes that covered it, and the journal
 * entries that tell its story. Only this record's: a bundle never names another tenant's asset.
 */
final class EvidenceContent {
  private EvidenceContent() {}

  static EvidenceStore.EvidenceBundle bundle(ProcessState state, TrackingId id) {
    TrackingRecord r = known(state.records, id);
    Advisory advisory = known(state.advisories, r.advisory());
    ObjectNode content = EventCodec.MAPPER.createObjectNode();
    ObjectNode adv = content.putObject("advisory");
    adv.put("id", advisory.id().value());
    adv.set("aliases", EventCodec.MAPPER.valueToTree(advisory.aliases()));
    adv.put("source", advisory.source());
    adv.put("summary", advisory.summary());
    adv.put("published", advisory.published().toString());
    adv.put("modified", advisory.modified().toString());
    content.set("assessment", EventCodec.MAPPER.valueToTree(state.assessments.get(r.advisory())));
    content.put("status", r.status().name());
    content.put("resolverGroup", r.resolverGroup());
    content.put("opened", r.opened().toString());
    r.closed().ifPresent(c -> content.put("closed", c.toString()));
    content.set("items", EventCodec.MAPPER.valueToTree(List.copyOf(r.items().values())));
    content.set(
        "workarounds", EventCodec.MAPPER.valueToTree(NotificationText.workarounds(advisory)));
    ArrayNode risks = content.putArray("risks");
    for (RiskItem risk : state.risks.values()) {
      if (risk.record().equals(Optional.of(id))) {
        risks.add(EventCodec.MAPPER.valueToTree(risk));
      }
    }
    ArrayNode changes = content.putArray("changes");
    Map<String, ChangeState> used = new LinkedHashMap<>();
    for (PlannedWave w : state.waves.values()) {
      for (List<ItemRef> refs : w.itemsByAsset.values()) {
        if (refs.stream().anyMatch(ref -> ref.record().equals(id))) {
          used.putIfAbsent(w.changeKey, known(state.changes, w.changeKey));
        }
      }
    }
    used.forEach(
        (key, c) -> {
          ObjectNode n = changes.addObject();
          n.put("key", key);
          n.put("change", c.id.map(ChangeId::value).orElse(null));
          n.put("type", c.request.type().name());
          n.put("approval", c.approval.name());
          n.put("windowStart", c.request.window().start().toString());
          n.put("windowZone", c.request.window().zone().getId());
        });
    return EvidenceStore.EvidenceBundle.builder()
        .record(id)
        .tenant(r.tenant())
        .advisory(r.advisory())
        .closedAt(r.closed().orElseThrow())
        .journalSeqs(state.seqsByRecord.getOrDefault(id, List.of()))
        .content(content)
        .build();
  }
}
