package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.process.SnapshotEvents.SnapshotIgnored;
import org.cloudpatch.core.process.SnapshotEvents.StateSnapshotted;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.StateSnapshotStore;
import org.cloudpatch.core.spi.StateSnapshotStore.StoredImage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State snapshots (issue 9, "Scale"): an image of the state put in the store, then journaled with
 * its digests; on build, the store's latest image used only when it verifies against the journal,
 * else a full replay and the reason journaled. The journal stays the truth throughout: an image is
 * a cache of what replaying the entries below its seq gives.
 */
final class StateSnapshots {
  private static final Logger log = LoggerFactory.getLogger(StateSnapshots.class);

  private StateSnapshots() {}

  /** Stores the state's image, then journals its entry; returns the seq it covers. */
  static long take(Driver d, Instant now) {
    StateSnapshotStore store = java.util.Objects.requireNonNull(d.snapshots);
    long covers = d.state.nextSeq;
    byte[] image = StateCodec.encode(d.state);
    String fingerprint = StateCodec.fingerprintSha256(d.state);
    // Store first: an entry must never name an image that is not there; the reverse (an image
    // without its entry, after a crash in between) is an orphan that the next build ignores.
    store.put(covers, image);
    d.emit(now, new StateSnapshotted(covers, StateCodec.sha256(image), fingerprint));
    log.info("state snapshot of the entries below {}: {} bytes", covers, image.length);
    return covers;
  }

  /**
   * After a tick: a snapshot once {@code snapshotEvery} entries were written since the latest. A
   * store that fails is journaled and the snapshot tried again after the next tick.
   */
  static void takeIfDue(Driver d, Instant now) {
    if (d.snapshotEvery <= 0 || d.state.nextSeq - d.state.snapshotCovers <= d.snapshotEvery) {
      return;
    }
    Driver.Result<Long> r = d.attempt("StateSnapshotStore", "put", () -> take(d, now));
    if (!r.ok()) {
      d.emit(
          now,
          new ProcessEvent.AdapterFailed(
              "StateSnapshotStore", "put", Optional.empty(), r.failure()));
    }
  }

  /**
   * Rebuilds the driver's state: from the store's latest image and the journal after it when it
   * verifies, else by replaying the whole journal, journaling why the image was not used.
   */
  static void rebuild(Driver d) {
    if (d.snapshots == null) {
      d.replay();
      return;
    }
    Optional<StoredImage> latest;
    try {
      latest = d.snapshots.latest();
    } catch (RuntimeException e) {
      fullReplay(d, -1, "the snapshot store cannot be read: " + e);
      return;
    }
    if (latest.isEmpty()) {
      d.replay();
      return;
    }
    long covers = latest.get().seq();
    byte[] bytes = latest.get().bytes();
    List<JournalEntry> tail = d.journal.readFrom(covers);
    Restored restored = verify(covers, bytes, tail);
    if (restored.state == null) {
      // Said once per image: a restart that finds the same bad image again journals nothing new.
      boolean said =
          tail.stream()
              .anyMatch(
                  e ->
                      e.type().equals("state.snapshot.ignored")
                          && e.data().path("covers").asLong() == covers
                          && e.data().path("reason").asText().equals(restored.reason));
      fullReplay(d, covers, said ? null : restored.reason);
      return;
    }
    d.state = restored.state;
    d.replay(tail);
    log.info(
        "state restored from the snapshot of the entries below {}; replayed {} entries after it",
        covers,
        tail.size());
  }

  /** A verified state, or why the image is not one. */
  private record Restored(@Nullable ProcessState state, String reason) {}

  private static Restored verify(long covers, byte[] bytes, List<JournalEntry> tail) {
    JournalEntry entry = null;
    for (JournalEntry e : tail) {
      if (e.type().equals("state.snapshot") && e.data().path("covers").asLong(-1) == covers) {
        entry = e;
        break;
      }
    }
    if (entry == null) {
      return new Restored(
          null,
          "the journal has no state.snapshot entry for an image of the entries below "
              + covers
              + " (an image stored without its entry, or of another journal)");
    }
    String digest = StateCodec.sha256(bytes);
    String journaled = entry.data().path("imageSha256").asText();
    if (!digest.equals(journaled)) {
      return new Restored(
          null,
          "the image's SHA-256 "
              + digest
              + " is not the "
              + journaled
              + " journaled at seq "
              + entry.seq()
              + " (a corrupt or truncated image, or another journal's)");
    }
    ProcessState state;
    try {
      state = StateCodec.decode(bytes);
    } catch (IllegalArgumentException e) {
      return new Restored(null, "the image journaled at seq " + entry.seq() + " " + e.getMessage());
    }
    String fingerprint = StateCodec.fingerprintSha256(state);
    String expected = entry.data().path("fingerprintSha256").asText();
    if (!fingerprint.equals(expected)) {
      return new Restored(
          null,
          "the state decoded from the image journaled at seq "
              + entry.seq()
              + " has fingerprint hash "
              + fingerprint
              + ", not the "
              + expected
              + " journaled");
    }
    return new Restored(state, "");
  }

  /** A full replay, journaling why the image was ignored unless {@code reason} is null. */
  private static void fullReplay(Driver d, long covers, @Nullable String reason) {
    log.warn("state snapshot of the entries below {} ignored, replaying the whole journal", covers);
    d.state = new ProcessState();
    d.replay();
    if (reason != null) {
      log.warn("state snapshot ignored: {}", reason);
      d.emit(d.clock.instant(), new SnapshotIgnored(covers, reason));
    }
  }
}
