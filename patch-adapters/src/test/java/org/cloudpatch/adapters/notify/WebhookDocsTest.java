package org.cloudpatch.adapters.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's guide is right: the Python verifier printed in {@code docs/webhooks.md} accepts
 * what the notifier signs, and refuses a tampered body and a stale timestamp.
 */
class WebhookDocsTest {
  private static final Path DOC =
      Path.of("").toAbsolutePath().getParent().resolve("docs/webhooks.md");

  @TempDir Path dir;

  @Test
  void pythonVerifierFromTheDocs_acceptsTheNotifiersSignature_andRefusesTamperingAndReplay()
      throws Exception {
    Path python =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .map(d -> Path.of(d, "python3"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    assumeTrue(python != null, "python3 is not on the PATH");
    String doc = Files.readString(DOC);
    int start = doc.indexOf("```python\n") + "```python\n".length();
    String snippet = doc.substring(start, doc.indexOf("```", start));
    assertTrue(snippet.contains("def verify("), "the docs' Python verifier");

    byte[] secret = "acme-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    Notification n = Notifications.of("N-docs~acme", Notifications.ACME, "Grüße ✓", "vm-1");
    byte[] body = WebhookNotifier.payload(n);
    long now = System.currentTimeMillis() / 1000;
    String fresh = WebhookNotifier.signatureHeader(secret, now, body);
    String stale = WebhookNotifier.signatureHeader(secret, now - 301, body);
    Files.write(dir.resolve("body.json"), body);
    Path script = dir.resolve("verify.py");
    Files.writeString(
        script,
        snippet
            + "\nimport sys\n"
            + "secret = bytes.fromhex(sys.argv[1])\n"
            + "raw = open(sys.argv[2], 'rb').read()\n"
            + "def check(header, raw):\n"
            + "    try:\n"
            + "        doc = verify({'Cloudpatch-Signature': header}, raw, secret)\n"
            + "        return 'ok ' + doc['key']\n"
            + "    except ValueError as e:\n"
            + "        return 'refused: ' + str(e)\n"
            + "print(check(sys.argv[3], raw))\n"
            + "print(check(sys.argv[3], raw.replace(b'vm-1', b'vm-9')))\n"
            + "print(check(sys.argv[4], raw))\n");
    Process p =
        new ProcessBuilder(
                python.toString(),
                script.toString(),
                HexFormat.of().formatHex(secret),
                dir.resolve("body.json").toString(),
                fresh,
                stale)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(
        "ok N-docs~acme\n"
            + "refused: signature does not match\n"
            + "refused: timestamp outside the replay window\n",
        out);
  }
}
