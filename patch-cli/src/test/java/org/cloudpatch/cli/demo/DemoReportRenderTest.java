package org.cloudpatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's own {@code report.html}, as a person sees it: rendered by headless Chromium (Debian's
 * {@code chromium} package), the page is not blank and shows the answer, the tables and the charts.
 * Skipped, with a message, where Chromium is not installed.
 */
class DemoReportRenderTest {
  @TempDir Path dir;

  private static Optional<Path> chromium() {
    String path = System.getenv("PATH");
    for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private String chromium(Path browser, String... args) throws IOException, InterruptedException {
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
            "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish");
    }
    assertEquals(0, p.exitValue(), () -> "chromium failed");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void demoReport_rendersInHeadlessChromium_withTheAnswerTablesAndCharts() throws Exception {
    Optional<Path> browser = chromium();
    Assumptions.assumeTrue(
        browser.isPresent(),
        "chromium is not installed (apt-get install chromium); skipping the rendering check");
    Path run = dir.resolve("run");
    Demo.run(new Demo.Options(90, 6, 14, 5, run));
    String url = run.resolve("report.html").toUri().toString();
    Path png = dir.resolve("report.png");

    chromium(browser.get(), "--window-size=1280,1400", "--screenshot=" + png, url);
    String dom = chromium(browser.get(), "--dump-dom", url);

    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "the screenshot is not a PNG");
    Set<Integer> colors = new HashSet<>();
    int background = image.getRGB(1, 1);
    long other = 0;
    long sampled = 0;
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        int rgb = image.getRGB(x, y);
        colors.add(rgb);
        other += rgb == background ? 0 : 1;
        sampled++;
      }
    }
    assertTrue(colors.size() > 50, "a nearly uniform page: " + colors.size() + " colours");
    assertTrue(other > sampled / 20, "a nearly blank page: " + other + " of " + sampled);
    assertTrue(dom.contains("<title>cloudpatch demo: 90 VMs"), "title");
    assertTrue(dom.contains("id=\"advisories\"") && dom.contains("id=\"tenants\""), "tables");
    assertTrue(dom.split("<svg", -1).length - 1 >= 3, "charts");
    assertTrue(dom.contains("Can it be validated?"));
  }
}
