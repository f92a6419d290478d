package org.cloudpatch.audit.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.cloudpatch.core.TenantId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a person sees it: rendered by headless Chromium (Debian's {@code chromium}
 * package), the screenshot is not blank and the DOM holds the title, the tables and the charts.
 * Skipped, with a message, where Chromium is not installed.
 */
class ChromiumRenderTest {
  @TempDir Path dir;

  static Optional<Path> chromium() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private List<String> command(Path browser, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(browser.toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private String run(List<String> cmd) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "chromium", ".log");
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(log));
    return Files.readString(out, UTF_8);
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void report_rendersInHeadlessChromium_notBlank_withTitleTablesAndCharts() throws Exception {
    Optional<Path> browser = chromium();
    Assumptions.assumeTrue(
        browser.isPresent(),
        "chromium is not installed (apt-get install chromium); skipping the rendering check");
    ComplianceReport r =
        ComplianceReports.report(
            Fleets.input(
                7,
                900,
                List.of(TenantId.of("acme"), TenantId.of("globex"), TenantId.of("initech"))));
    Path html = dir.resolve("report.html");
    Files.writeString(html, ComplianceReports.html(r), UTF_8);
    Path png = dir.resolve("report.png");

    run(
        command(
            browser.get(),
            "--window-size=1280,1600",
            "--screenshot=" + png,
            html.toUri().toString()));
    String dom = run(command(browser.get(), "--dump-dom", html.toUri().toString()));

    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, "the screenshot is not a PNG");
    assertEquals(1280, image.getWidth());
    Set<Integer> colors = new HashSet<>();
    int background = image.getRGB(2, 2);
    long other = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        colors.add(rgb);
        if (rgb != background) {
          other++;
        }
      }
    }
    long sampled = (long) (image.getHeight() / 2) * (image.getWidth() / 2);
    assertTrue(colors.size() > 50, "a nearly uniform screenshot: " + colors.size() + " colours");
    assertTrue(other > sampled / 20, "a nearly blank page: " + other + " of " + sampled);
    // Status colours of the charts and pills are on screen, not only in the source.
    assertTrue(colors.contains(0xff2e7d32) || colors.contains(0xffc62828), "no status colour");

    assertTrue(dom.contains("<title>Patch compliance report — all tenants</title>"), dom);
    assertTrue(dom.contains("id=\"advisories\""));
    assertTrue(dom.contains("id=\"tenants\""));
    assertTrue(dom.split("<svg", -1).length - 1 >= 3, "the charts are in the DOM");
    assertTrue(dom.contains("Have all VMs that require the update been patched?"));
    Path keep = Path.of("target", "chromium-report.png");
    Files.createDirectories(keep.getParent());
    Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
