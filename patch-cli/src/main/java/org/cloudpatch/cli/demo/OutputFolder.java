package org.cloudpatch.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's output folder: what is already in it, which of that the demo would overwrite, and
 * removing only the demo's own files when the user says {@code --force}.
 */
public final class OutputFolder {
  /** Every file and folder a demo run writes (DESIGN §10), and nothing else. */
  public static final List<String> OWN_FILES =
      List.of(
          "journal.log",
          "evidence",
          "report.json",
          "report.html",
          "compliance.csv",
          "oscal-assessment-results.json",
          "oscal-poam.json",
          "cloud-truth.jsonl",
          "checkpoint",
          "journal.pub");

  private OutputFolder() {}

  /** The names in the folder, sorted; empty when it does not exist or is empty. */
  public static List<String> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * Why the demo will not write into a non-empty folder without {@code --force}: which of its own
   * files it would overwrite, and what else is there; empty when the folder is missing or empty.
   */
  public static String refusal(Path dir) throws IOException {
    List<String> present = entries(dir);
    if (present.isEmpty()) {
      return "";
    }
    List<String> own = present.stream().filter(OWN_FILES::contains).toList();
    List<String> other = present.stream().filter(n -> !OWN_FILES.contains(n)).toList();
    return dir
        + " is not empty; the demo would overwrite "
        + (own.isEmpty() ? "none of it" : String.join(", ", own))
        + (other.isEmpty() ? "" : " (and leave " + String.join(", ", other) + " as they are)")
        + "; use --force to replace the demo's own files there, or give another --out";
  }

  /** Deletes the demo's own files and folders in {@code dir}; anything else stays. */
  public static void removeOwnFiles(Path dir) throws IOException {
    List<Path> doomed = new ArrayList<>();
    for (String name : OWN_FILES) {
      Path p = dir.resolve(name);
      if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.sorted(Comparator.reverseOrder()).forEach(doomed::add);
        }
      } else if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        doomed.add(p);
      }
    }
    for (Path p : doomed) {
      Files.delete(p);
    }
  }
}
