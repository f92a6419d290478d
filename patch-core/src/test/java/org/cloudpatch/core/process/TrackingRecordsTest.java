package org.cloudpatch.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.finding.Finding;
import org.cloudpatch.core.finding.FindingStatus;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.junit.jupiter.api.Test;

/** The record state machine is pure: the same events give the same record. */
class TrackingRecordsTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  static final TrackingId ID = TrackingId.of("TR-1");
  static final AssetId VM = AssetId.of("vm-1");

  static TrackingRecord opened() {
    Finding f =
        Finding.builder()
            .asset(VM)
            .advisory(AdvisoryId.of("A"))
            .ecosystem("Debian:12")
            .packageName("openssl")
            .installedVersion("1")
            .fixedVersion("2")
            .status(FindingStatus.AFFECTED)
            .evidence("1 < 2")
            .build();
    return TrackingRecords.evolve(
        null,
        new ProcessEvent.TrackingOpened(
            ID,
            AdvisoryId.of("A"),
            TenantId.of("t"),
            "web",
            Priority.P2,
            T,
            TimingMode.LOCAL_TIME,
            List.of(f)),
        T);
  }

  @Test
  void opened_hasOneAffectedItemPerAsset() {
    TrackingRecord r = opened();
    assertEquals(TrackingRecord.Status.OPEN, r.status());
    assertEquals(ItemState.AFFECTED, r.items().get(VM).state());
  }

  @Test
  void failedAttempt_putsTheItemBackToBePlanned_keepingTheAttemptCount() {
    TrackingRecord r = opened();
    r = TrackingRecords.evolve(r, started(1), T);
    assertEquals(ItemState.PATCHING, r.items().get(VM).state());
    r =
        TrackingRecords.evolve(
            r,
            new ProcessEvent.PatchFailed(
                "j", VM, Optional.empty(), List.of(new ItemRef(ID, VM)), 1, "dpkg"),
            T);
    assertEquals(ItemState.AFFECTED, r.items().get(VM).state());
    assertEquals(1, r.items().get(VM).attempts());
  }

  @Test
  void settledItem_neverChangesAgain() {
    TrackingRecord r = opened();
    r =
        TrackingRecords.evolve(
            r,
            new ProcessEvent.PatchVerified(
                Optional.of(ID), VM, AdvisoryId.of("A"), "openssl 2", "2 >= 2"),
            T);
    assertEquals(ItemState.VERIFIED, r.items().get(VM).state());
    assertSame(r, TrackingRecords.evolve(r, started(2), T));
  }

  @Test
  void closure_recordsTheInstant() {
    TrackingRecord r =
        TrackingRecords.evolve(
            opened(),
            new ProcessEvent.TrackingClosed(ID, TrackingRecord.Status.CLOSED, 1, 0, List.of()),
            T.plusSeconds(5));
    assertEquals(Optional.of(T.plusSeconds(5)), r.closed());
  }

  @Test
  void eventForARecordNeverOpened_isRejected() {
    assertThrows(IllegalStateException.class, () -> TrackingRecords.evolve(null, started(1), T));
  }

  private static ProcessEvent.PatchStarted started(int attempt) {
    return new ProcessEvent.PatchStarted(
        "j" + attempt,
        VM,
        Optional.of("W-1"),
        List.of(new ItemRef(ID, VM)),
        List.of(AdvisoryId.of("A")),
        attempt,
        "snap",
        List.of());
  }
}
