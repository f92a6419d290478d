package org.cloudpatch.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.Notifier;
import org.junit.jupiter.api.Test;

class InMemoryAdaptersTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final VirtualClock clock = VirtualClock.at(T0);

  static Advisory advisory(String id, Instant at) {
    return Advisory.builder()
        .id(AdvisoryId.of(id))
        .source("T")
        .published(at)
        .modified(at)
        .summary("")
        .build();
  }

  @Test
  void feed_deliversWhatIsDue_inOrder_andResumesFromItsCursor() {
    InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("f", clock);
    feed.publish(advisory("A", T0)).publish(advisory("B", T0.plusSeconds(60)));
    var first = feed.fetch(Optional.empty(), 10);
    assertEquals(List.of("A"), first.advisories().stream().map(a -> a.id().value()).toList());
    assertEquals(0, feed.fetch(first.nextCursor(), 10).advisories().size(), "B is not due yet");
    clock.advance(Duration.ofMinutes(1));
    assertEquals("B", feed.fetch(first.nextCursor(), 10).advisories().get(0).id().value());
    assertEquals(2, feed.fetch(Optional.empty(), 10).advisories().size(), "from the start again");
    assertThrows(IllegalArgumentException.class, () -> feed.fetch(Optional.of("x"), 1));
  }

  @Test
  void feed_reportsAQuarantinedRecordOnce() {
    InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("f", clock);
    feed.quarantine(Quarantined.of("file.json", "/0/id", "missing"));
    assertEquals(1, feed.fetch(Optional.empty(), 1).quarantined().size());
    assertEquals(0, feed.fetch(Optional.empty(), 1).quarantined().size());
  }

  static ChangeRequest change(String key, ChangeRequest.ChangeType type) {
    return ChangeRequest.builder()
        .key(key)
        .type(type)
        .window(MaintenanceWindow.of(T0, T0.plusSeconds(3600), ZoneOffset.UTC))
        .addScope(AssetId.of("vm-1"))
        .summary("patch")
        .build();
  }

  @Test
  void changeSystem_preapprovesStandard_andTheBoardDecidesNormalAfterItsDelay() {
    InMemoryChangeSystem changes = InMemoryChangeSystem.create(clock, Duration.ofDays(1));
    ChangeId standard = changes.open(change("s", ChangeRequest.ChangeType.STANDARD));
    ChangeId normal = changes.open(change("n", ChangeRequest.ChangeType.NORMAL));
    assertEquals(
        standard, changes.open(change("s", ChangeRequest.ChangeType.STANDARD)), "idempotent");
    assertEquals(ChangeRequest.Approval.APPROVED, changes.approval(standard));
    assertEquals(ChangeRequest.Approval.PENDING, changes.approval(normal));
    clock.advance(Duration.ofDays(1));
    assertEquals(ChangeRequest.Approval.APPROVED, changes.approval(normal));
    changes.close(normal, true, "done");
    changes.close(normal, false, "twice is a no-op");
    assertTrue(changes.changes().get(1).successful());
  }

  @Test
  void notifier_deliversToTheTenantsAccountsOnly_andFailsForAnUnknownTenant() {
    InMemoryNotifier notifier =
        InMemoryNotifier.create().register(TenantId.of("a"), List.of("x@a"));
    Notifier.Notification.Builder n =
        Notifier.Notification.builder()
            .key("k")
            .advisory(AdvisoryId.of("A"))
            .subject("s")
            .body("b");
    notifier.deliver(n.tenant(TenantId.of("a")).build());
    assertEquals(List.of("x@a"), notifier.deliveries().get(0).accounts());
    assertThrows(PatchException.class, () -> notifier.deliver(n.tenant(TenantId.of("b")).build()));
  }

  @Test
  void journal_assignsConsecutiveSeqsAcrossBatches() {
    InMemoryJournal journal = InMemoryJournal.create();
    JournalEntry.Draft d =
        JournalEntry.Draft.builder()
            .at(T0)
            .type("t")
            .data(JsonNodeFactory.instance.objectNode())
            .build();
    journal.append(List.of(d, d));
    List<JournalEntry> second = journal.append(List.of(d));
    assertEquals(2, second.get(0).seq());
    assertEquals(3, journal.size());
  }

  @Test
  void virtualClock_neverGoesBack() {
    assertThrows(IllegalArgumentException.class, () -> clock.moveTo(T0.minusSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
  }
}
