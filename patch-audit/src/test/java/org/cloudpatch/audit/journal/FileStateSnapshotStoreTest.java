package org.cloudpatch.audit.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.testkit.StateSnapshotStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store kit's contract, and what the file store adds: its files, debris, pruning, failures. */
class FileStateSnapshotStoreTest extends StateSnapshotStoreContract<FileStateSnapshotStore> {
  @TempDir Path dir;

  @Override
  protected FileStateSnapshotStore newStore() {
    return FileStateSnapshotStore.open(dir.resolve("snapshots"));
  }

  @Override
  protected FileStateSnapshotStore reopen(FileStateSnapshotStore store) {
    return FileStateSnapshotStore.open(dir.resolve("snapshots"));
  }

  /** A crash before the rename leaves the temporary file, partly written. */
  @Override
  protected void crashDuringPut(FileStateSnapshotStore store, long seq, byte[] written) {
    try {
      Files.write(
          dir.resolve("snapshots").resolve(FileStateSnapshotStore.name(seq) + ".tmp-crash"),
          written);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void reopen_deletesWhatAnInterruptedPutLeft() {
    FileStateSnapshotStore store = newStore();
    store.put(1, new byte[] {1});
    crashDuringPut(store, 2, new byte[] {2});
    reopen(store);
    assertEquals(List.of("state-00000000000000000001.image"), files());
  }

  @Test
  void latest_ofAnImageOverTheBound_isRefusedNamingTheFileAndTheBound() {
    FileStateSnapshotStore store = FileStateSnapshotStore.open(dir.resolve("snapshots"), 16);
    store.put(1, new byte[16]);
    assertEquals(16, store.latest().orElseThrow().bytes().length);
    store.put(2, new byte[17]);
    PatchException refused = assertThrows(PatchException.class, store::latest);
    assertTrue(
        refused.getMessage().contains("state-00000000000000000002.image"), refused::getMessage);
    assertTrue(refused.getMessage().contains("bound of 16"), refused::getMessage);
  }

  @Test
  void latest_ofALinkPutInAnImagesPlace_isRefusedUnread() throws IOException {
    FileStateSnapshotStore store = newStore();
    Path devZero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devZero), "no /dev/zero here");
    Files.createSymbolicLink(
        dir.resolve("snapshots").resolve(FileStateSnapshotStore.name(5)), devZero);
    PatchException refused = assertThrows(PatchException.class, store::latest);
    assertTrue(refused.getMessage().contains("not a regular file"), refused::getMessage);
  }

  @Test
  void put_keepsTheTwoNewestImages() {
    FileStateSnapshotStore store = newStore();
    for (long seq : new long[] {10, 30, 20, 40}) {
      store.put(seq, new byte[] {(byte) seq});
    }
    assertEquals(
        List.of("state-00000000000000000030.image", "state-00000000000000000040.image"), files());
    assertArrayEquals(new byte[] {40}, store.latest().orElseThrow().bytes());
  }

  @Test
  void put_whenTheDirectoryIsGone_failsAndLeavesNothing() throws IOException {
    FileStateSnapshotStore store = newStore();
    Files.delete(dir.resolve("snapshots"));
    assertThrows(PatchException.class, () -> store.put(5, new byte[] {5}));
    assertTrue(Files.notExists(dir.resolve("snapshots")));
  }

  @Test
  void open_aFileInTheWay_fails() throws IOException {
    Files.writeString(dir.resolve("snapshots"), "not a directory");
    assertThrows(PatchException.class, this::newStore);
  }

  private List<String> files() {
    try (Stream<Path> s = Files.list(dir.resolve("snapshots"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
