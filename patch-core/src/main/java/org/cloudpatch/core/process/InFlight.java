package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.process.ProcessEvent.PatchStarted;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.rollout.Wave;
import org.jspecify.annotations.Nullable;

/**
 * The work in flight that {@link ProcessState} tracks, each from its first journal entry to its
 * last: planned waves, change requests, patch jobs, unconfirmed effects and held VMs. Mutable,
 * changed only by {@link ProcessState#apply}.
 */
final class InFlight {
  private InFlight() {}

  /** A planned wave, its change, and which of its VMs have been dealt with. */
  static final class PlannedWave {
    final String id;
    final Wave wave;
    final String changeKey;
    final Map<AssetId, List<ItemRef>> itemsByAsset = new TreeMap<>();
    final Set<AssetId> pending = new TreeSet<>();
    boolean missed;

    PlannedWave(String id, Wave wave, String changeKey, List<ItemRef> items) {
      this.id = id;
      this.wave = wave;
      this.changeKey = changeKey;
      for (ItemRef ref : items) {
        itemsByAsset.computeIfAbsent(ref.asset(), a -> new ArrayList<>()).add(ref);
        pending.add(ref.asset());
      }
    }

    boolean done() {
      return missed || pending.isEmpty();
    }
  }

  /** A change request and where it stands. */
  static final class ChangeState {
    final ChangeRequest request;
    Optional<ChangeId> id = Optional.empty();
    ChangeRequest.Approval approval = ChangeRequest.Approval.PENDING;
    boolean closeRequested;
    boolean closed;

    ChangeState(ChangeRequest request) {
      this.request = request;
    }
  }

  /**
   * A patch job from its request until it is verified or failed: at most one per VM. It is
   * requested (snapshot pending), started (submit pending), submitted (running), then applied or
   * unknown (verification pending).
   */
  static final class Job {
    final EffectEvents.PatchRequested request;
    final Instant requestedAt;
    @Nullable PatchStarted started;
    Optional<String> handle = Optional.empty();
    Optional<PatchOutcome> outcome = Optional.empty();
    boolean unknown;
    int failures;
    Instant retryAt;

    Job(EffectEvents.PatchRequested request, Instant at) {
      this.request = request;
      this.requestedAt = at;
      this.retryAt = at;
    }

    boolean verifying() {
      return outcome.isPresent() || unknown;
    }
  }

  /** An effect requested and not yet confirmed. */
  static final class PendingEffect {
    final EffectEvents.EffectRequested request;
    int failures;
    Instant retryAt;
    boolean overdue;

    PendingEffect(EffectEvents.EffectRequested request, Instant at) {
      this.request = request;
      this.retryAt = at;
    }
  }

  /** The backoff after {@code failures} failures: one minute doubling up to an hour. */
  static Instant backoff(Instant at, int failures) {
    long minutes = Math.min(1L << Math.min(failures - 1, 6), 60);
    return at.plus(java.time.Duration.ofMinutes(minutes));
  }

  /** A VM held from its users until it is caught up. */
  static final class CatchUp {
    final AssetId asset;
    final String reason;
    boolean held;
    int attempts;
    Optional<String> snapshot = Optional.empty();
    boolean givenUp;

    CatchUp(AssetId asset, String reason) {
      this.asset = asset;
      this.reason = reason;
    }
  }
}
