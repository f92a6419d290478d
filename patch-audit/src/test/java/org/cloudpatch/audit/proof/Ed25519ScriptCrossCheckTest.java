package org.cloudpatch.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RFC 8032 verification in {@code docs/verify-evidence.py} agrees with the JDK's Ed25519 on the
 * test vectors of RFC 8032 §7.1 and on seeded signatures, valid and corrupted. Skipped without
 * python3.
 */
class Ed25519ScriptCrossCheckTest {
  private static final Path SCRIPT = Path.of("..", "docs", "verify-evidence.py");
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 §7.1, TEST 1, 2 and 3: secret key, public key, message, signature. */
  private static final String[][] VECTORS = {
    {
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      "",
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    },
    {
      "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "72",
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    },
    {
      "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
      "af82",
      "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
    },
  };

  @BeforeAll
  static void requirePython() {
    assumeTrue(Files.isRegularFile(SCRIPT), () -> "no script at " + SCRIPT.toAbsolutePath());
    python("pass"); // skips the class where python3 is absent
  }

  @Test
  void rfc8032Vectors_jdkSignsThemExactly_andBothVerifiersAccept() {
    List<String[]> cases = new ArrayList<>();
    for (String[] v : VECTORS) {
      byte[] seed = HEX.parseHex(v[0]);
      var pair = Ed25519.fromSeed(seed);
      assertEquals(v[1], HEX.formatHex(Ed25519.raw(pair.getPublic())), "public key of " + v[0]);
      byte[] message = HEX.parseHex(v[2]);
      assertEquals(v[3], HEX.formatHex(Ed25519.sign(pair.getPrivate(), message)));
      assertTrue(Ed25519.verify(HEX.parseHex(v[1]), message, HEX.parseHex(v[3])));
      cases.add(new String[] {v[1], v[2], v[3]});
    }

    assertEquals(List.of("True", "True", "True"), scriptVerdicts(cases));
  }

  @Test
  void seededSignatures_validAndCorrupted_scriptAgreesWithTheJdk() {
    SplittableRandom random = new SplittableRandom(8032);
    List<String[]> cases = new ArrayList<>();
    List<String> jdk = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      var pair = Ed25519.fromSeed(seed);
      byte[] publicKey = Ed25519.raw(pair.getPublic());
      byte[] message = new byte[random.nextInt(200)];
      random.nextBytes(message);
      byte[] signature = Ed25519.sign(pair.getPrivate(), message);
      switch (i % 4) {
        case 1 -> signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        case 2 -> {
          if (message.length == 0) {
            message = new byte[] {1};
          } else {
            message[random.nextInt(message.length)] ^= 0x01;
          }
        }
        case 3 -> publicKey[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        default -> {}
      }
      cases.add(
          new String[] {
            HEX.formatHex(publicKey), HEX.formatHex(message), HEX.formatHex(signature)
          });
      jdk.add(Ed25519.verify(publicKey, message, signature) ? "True" : "False");
    }

    List<String> script = scriptVerdicts(cases);

    assertEquals(jdk, script);
    assertTrue(jdk.contains("True") && jdk.contains("False"), jdk::toString);
  }

  /** The script's ed25519_verify on each (public key, message, signature), as Python prints it. */
  private static List<String> scriptVerdicts(List<String[]> cases) {
    StringBuilder program =
        new StringBuilder(
            "import importlib.util, sys\n"
                + "spec = importlib.util.spec_from_file_location('ve', sys.argv[1])\n"
                + "ve = importlib.util.module_from_spec(spec)\n"
                + "spec.loader.exec_module(ve)\n"
                + "for line in sys.stdin.read().split('\\n'):\n"
                + "    if line:\n"
                + "        k, m, s = (bytes.fromhex(x) for x in line.split(' '))\n"
                + "        print(ve.ed25519_verify(k, m, s))\n");
    StringBuilder input = new StringBuilder();
    for (String[] c : cases) {
      input.append(c[0]).append(' ').append(c[1]).append(' ').append(c[2]).append('\n');
    }
    String out = python(program.toString(), input.toString());
    return List.of(out.strip().split("\n"));
  }

  private static String python(String program) {
    return python(program, "");
  }

  private static String python(String program, String stdin) {
    try {
      Process p = new ProcessBuilder("python3", "-c", program, SCRIPT.toString()).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("python3 failed: " + err);
      }
      return out;
    } catch (IOException e) {
      assumeTrue(false, "python3 is not on the PATH: " + e.getMessage());
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
