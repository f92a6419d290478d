package org.cloudpatch.core.process;

/**
 * The events of state snapshots (issue 9, "Scale"): an image of the whole state stored and its
 * digests journaled, so that a restart may replay from it; or an image found and not used, with the
 * reason. Written and read like every {@link ProcessEvent}; they change nothing in the state but
 * its count of entries, so a state rebuilt from an image plus the tail equals a full replay.
 */
sealed interface SnapshotEvents extends ProcessEvent {
  /**
   * An image of the state after every entry below {@code covers} was put in the snapshot store
   * before this entry was written: its bytes hash to {@code imageSha256}, the state's fingerprint
   * to {@code fingerprintSha256}. The journal stays the truth: an image without this entry is
   * ignored.
   */
  @Journaled("state.snapshot")
  record StateSnapshotted(long covers, String imageSha256, String fingerprintSha256)
      implements SnapshotEvents {}

  /**
   * The store's latest image (covering the entries below {@code covers}, or -1 when it could not be
   * read) did not verify against the journal; the state was rebuilt by a full replay.
   */
  @Journaled("state.snapshot.ignored")
  record SnapshotIgnored(long covers, String reason) implements SnapshotEvents {}
}
