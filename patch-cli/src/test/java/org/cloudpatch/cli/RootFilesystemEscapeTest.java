package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code assess} on a root filesystem whose package database is a link to a file of the reading
 * machine: the link is resolved inside the root, and the host file's content appears in no output.
 */
class RootFilesystemEscapeTest {
  private static final String SECRET = "root:$6$never-echo-this:19000:0:99999:7:::";

  private record Run(int code, String out, String err) {}

  private static Run assess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AssessCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Path image(Path tmp, Path statusTarget) throws IOException {
    Path root = Files.createDirectories(tmp.resolve("img"));
    Files.writeString(
        Files.createDirectories(root.resolve("etc")).resolve("os-release"),
        "ID=debian\nVERSION_ID=\"12\"\n");
    Files.createSymbolicLink(
        Files.createDirectories(root.resolve("var/lib/dpkg")).resolve("status"), statusTarget);
    return root;
  }

  private static Path advisories(Path tmp) throws IOException {
    return Files.writeString(
        tmp.resolve("osv.json"),
        "{\"id\":\"DSA-1-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":"
            + "{\"ecosystem\":\"Debian:12\",\"name\":\"zlib\"},\"ranges\":[{\"type\":\"ECOSYSTEM\","
            + "\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1:1.2.13\"}]}]}]}");
  }

  @Test
  void statusLinkingOutByDotDots_isRefused_withoutEchoingTheHostFile(@TempDir Path tmp)
      throws IOException {
    Files.writeString(tmp.resolve("shadow"), SECRET + "\n");
    Path root = image(tmp, Path.of("../../../../shadow"));

    for (Path inventory : new Path[] {root, root.resolve("var/lib/dpkg/status")}) {
      Run r =
          assess("--advisories", advisories(tmp).toString(), "--inventory", inventory.toString());

      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("leads out of the root"), r.err());
      assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET), r.err());
    }
  }

  @Test
  void statusLinkingAbsolutelyToAHostFile_readsTheImagesOwnFileInstead(@TempDir Path tmp)
      throws IOException {
    Path host = Files.writeString(tmp.resolve("shadow"), SECRET + "\n");
    Path root = image(tmp, host);

    Run r = assess("--advisories", advisories(tmp).toString(), "--inventory", root.toString());

    // Inside the image the absolute target names nothing: no database, and nothing echoed.
    assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET), r.err());
    assertEquals(2, r.code(), r.err());
  }
}
