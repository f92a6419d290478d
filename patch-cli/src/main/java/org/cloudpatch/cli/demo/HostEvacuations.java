package org.cloudpatch.cli.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cloudpatch.audit.report.HostEvacuationFact;
import org.cloudpatch.cli.demo.DemoResult.HostEvacuation;
import org.cloudpatch.cli.demo.DemoResult.HostOutcome;
import org.cloudpatch.cli.demo.DemoResult.Move;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.memory.TruthEvent;
import org.jspecify.annotations.Nullable;

/**
 * What happened to each host of the cluster, as the simulated cloud's own ground truth tells it
 * (not the engine's journal): when it entered maintenance mode, which VM went where and when, when
 * it was patched and when it came back; or, for a host the engine skipped, the reason it gave,
 * which names the VM that blocked it; for a host whose patch did not take, why it stays out of
 * service.
 */
final class HostEvacuations {
  private HostEvacuations() {}

  /**
   * Each host of the truth, in host order: the last maintenance stay that patched it (or the last
   * one) with the migrations off the host during it; skipped hosts with the engine's reason.
   */
  static List<HostEvacuation> of(
      List<TruthEvent> truth,
      Set<HostId> remediated,
      Map<HostId, String> skipped,
      Map<HostId, String> unverified) {
    Map<HostId, Builder> hosts = new TreeMap<>();
    for (TruthEvent t : truth) {
      switch (t.event()) {
        case HOST_ADDED -> hosts.put(t.host().orElseThrow(), new Builder());
        case MAINTENANCE_ENTERED -> {
          Builder b = hosts.get(t.host().orElseThrow());
          if (b != null && b.patched == null) {
            b.entered = t.at();
            b.moves.clear(); // an abandoned drain's moves belong to that stay, not this one
          }
        }
        case MIGRATED -> {
          Builder b = hosts.get(t.fromHost().orElseThrow());
          if (b != null && b.entered != null && b.exited == null) {
            b.moves.add(new Move(t.at(), t.vm().orElseThrow(), t.toHost().orElseThrow()));
          }
        }
        case HOST_PATCHED -> {
          Builder b = hosts.get(t.host().orElseThrow());
          if (b != null) {
            b.patched = t.at();
          }
        }
        case MAINTENANCE_EXITED -> {
          Builder b = hosts.get(t.host().orElseThrow());
          if (b != null && b.patched != null && b.exited == null) {
            b.exited = t.at();
          }
        }
        default -> {}
      }
    }
    List<HostEvacuation> out = new ArrayList<>();
    hosts.forEach(
        (id, b) -> {
          HostOutcome outcome =
              remediated.contains(id)
                  ? HostOutcome.PATCHED
                  : skipped.containsKey(id)
                      ? HostOutcome.SKIPPED
                      : unverified.containsKey(id)
                          ? HostOutcome.UNVERIFIED
                          : HostOutcome.NOT_PATCHED;
          out.add(
              new HostEvacuation(
                  id,
                  outcome,
                  Optional.ofNullable(skipped.getOrDefault(id, unverified.get(id))),
                  Optional.ofNullable(b.entered),
                  List.copyOf(b.moves),
                  Optional.ofNullable(b.patched),
                  Optional.ofNullable(b.exited)));
        });
    return out;
  }

  /**
   * The evacuations as the library's report facts. The engine gives a skipped host's reason in
   * words; the VMs it blocked on are the VMs of the cloud that the reason names.
   */
  static List<HostEvacuationFact> facts(List<HostEvacuation> hosts, Collection<AssetId> vms) {
    List<HostEvacuationFact> out = new ArrayList<>();
    for (HostEvacuation h : hosts) {
      HostEvacuationFact.Builder b =
          HostEvacuationFact.builder()
              .host(h.host())
              .outcome(HostEvacuationFact.Outcome.valueOf(h.outcome().name()))
              .reason(h.reason())
              .enteredMaintenance(h.enteredMaintenance())
              .patched(h.patched())
              .exitedMaintenance(h.exitedMaintenance());
      h.evacuated()
          .forEach(m -> b.addMigrations(HostEvacuationFact.Migration.of(m.at(), m.vm(), m.to())));
      if (h.outcome() == HostOutcome.SKIPPED) {
        String reason = h.reason().orElse("");
        for (AssetId vm : vms) {
          if (names(reason, vm)) {
            b.addBlockingVms(vm);
          }
        }
      }
      out.add(b.build());
    }
    return out;
  }

  /** Whether the text names the VM as a word of its own ({@code vm-1} is not in {@code vm-12}). */
  static boolean names(String text, AssetId vm) {
    return Pattern.compile("(?<![\\w.-])" + Pattern.quote(vm.value()) + "(?![\\w-])")
        .matcher(text)
        .find();
  }

  private static final class Builder {
    @Nullable Instant entered;
    @Nullable Instant patched;
    @Nullable Instant exited;
    final List<Move> moves = new ArrayList<>();
  }
}
