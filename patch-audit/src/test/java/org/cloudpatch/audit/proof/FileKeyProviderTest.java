package org.cloudpatch.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cloudpatch.core.PatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link FileKeyProvider} creates and reads the key files an operator hands it. */
class FileKeyProviderTest {
  @TempDir Path dir;

  @Test
  void generate_createsTheKeyFileOwnerOnly() throws IOException {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "not a POSIX file system");
    Path file = dir.resolve("journal.key");

    FileKeyProvider.generate("log", file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void generate_existingFile_isRefusedAndLeftAlone() throws IOException {
    Path file = dir.resolve("journal.key");
    Files.writeString(file, "someone else's");

    PatchException e =
        assertThrows(PatchException.class, () -> FileKeyProvider.generate("log", file));

    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals("someone else's", Files.readString(file));
  }

  @Test
  void load_fileLargerThanAnyKey_failsNamingTheFile() throws IOException {
    Path file = dir.resolve("journal.log");
    Files.write(file, new byte[OperatorFiles.MAX_BYTES + 1]);

    PatchException e = assertThrows(PatchException.class, () -> FileKeyProvider.load("log", file));

    assertTrue(e.getMessage().startsWith("key file " + file + " is larger than"), e.getMessage());
  }

  @Test
  void load_missingFile_failsNamingTheFile() {
    Path file = dir.resolve("absent.key");

    PatchException e = assertThrows(PatchException.class, () -> FileKeyProvider.load("log", file));

    assertTrue(e.getMessage().startsWith("cannot read key file " + file), e.getMessage());
  }

  @Test
  void load_garbage_failsNamingTheFile() throws IOException {
    Path file = dir.resolve("garbage.key");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n");

    PatchException e = assertThrows(PatchException.class, () -> FileKeyProvider.load("log", file));

    assertTrue(e.getMessage().startsWith("key file " + file), e.getMessage());
  }

  @Test
  void readText_checkpointFileThatIsNotUtf8_failsNamingTheFile() throws IOException {
    Path file = dir.resolve("checkpoint");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0});

    PatchException e =
        assertThrows(PatchException.class, () -> OperatorFiles.readText(file, "checkpoint file"));

    assertEquals("checkpoint file " + file + " is not UTF-8 text", e.getMessage());
  }
}
