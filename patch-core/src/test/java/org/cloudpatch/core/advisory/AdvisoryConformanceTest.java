package org.cloudpatch.core.advisory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.cloudpatch.core.severity.ConformanceAccess;
import org.junit.jupiter.api.Test;

/** Reads the shared third-party OSV, CSAF and Debian tracker documents. */
class AdvisoryConformanceTest {
  private static final AdvisoryReaders READERS = AdvisoryReaders.create();

  /** The CSAF 2.0 rules the mapping depends on; documents breaking them must be rejected. */
  private static final Set<String> RULES_THE_READER_DEPENDS_ON =
      Set.of("6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.1.5", "6.1.6", "6.1.27.9");

  private static Path data(String relative) {
    Path p = ConformanceAccess.dir().resolve(relative);
    assumeTrue(Files.exists(p), "conformance data not found at " + p);
    return p;
  }

  @Test
  void everySharedOsvRecord_reads() {
    ReadBatch<Advisory> batch = READERS.read(data("osv-advisories"));
    assertEquals(List.of(), batch.quarantined());
    assertTrue(batch.accepted().size() >= 40, "read " + batch.accepted().size());
  }

  @Test
  void everyCsafExample_includingVex_reads() throws IOException {
    Path dir = data("oasis-csaf/csaf_2.0/examples/csaf");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    int read = 0;
    for (Path f : files) {
      ReadBatch<Advisory> batch = READERS.read(f);
      assertEquals(List.of(), batch.quarantined(), f.toString());
      read += batch.accepted().size();
    }
    assertEquals(files.size(), read);
    assertTrue(read >= 19, "read " + read);
  }

  @Test
  void csafValidatorTestDocuments_validOnesRead_invalidOnesBreakingARuleWeDependOnAreRejected()
      throws IOException {
    Path dir = data("oasis-csaf/csaf_2.0/test/validator/data");
    JsonNode cases = new ObjectMapper().readTree(dir.resolve("testcases.json").toFile());
    List<String> problems = new ArrayList<>();
    int valid = 0;
    int rejected = 0;
    for (JsonNode test : cases.get("tests")) {
      String rule = test.get("id").asText();
      for (JsonNode doc : test.path("valid")) {
        ReadBatch<Advisory> batch = READERS.read(dir.resolve(doc.get("name").asText()));
        valid++;
        if (!batch.quarantined().isEmpty()) {
          problems.add("valid " + doc.get("name").asText() + ": " + batch.quarantined());
        }
      }
      if (!RULES_THE_READER_DEPENDS_ON.contains(rule)) {
        continue;
      }
      for (JsonNode doc : test.path("failures")) {
        ReadBatch<Advisory> batch = READERS.read(dir.resolve(doc.get("name").asText()));
        rejected++;
        if (batch.quarantined().size() != 1
            || !batch.quarantined().get(0).reason().contains("rule " + rule + " ")) {
          problems.add(
              "invalid for " + rule + " " + doc.get("name").asText() + ": " + batch.quarantined());
        }
      }
    }
    assertTrue(valid > 80 && rejected >= 18, valid + " valid, " + rejected + " rejected");
    assertEquals(List.of(), problems);
  }

  @Test
  void redHatCsafAndItsOsvTranslation_giveTheSameAffectedPackagesAndFixedVersions()
      throws IOException {
    Path dir = data("osv-schema/tools/redhat/testdata");
    int pairs = 0;
    try (Stream<Path> osvFiles = Files.list(dir.resolve("OSV"))) {
      for (Path osvFile : osvFiles.sorted().toList()) {
        String name = osvFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Advisory osv = single(READERS.read(osvFile));
        Advisory csaf = single(READERS.read(dir.resolve("CSAF").resolve(name)));
        Set<String> onlyOsv = new TreeSet<>(fixes(osv));
        onlyOsv.removeAll(fixes(csaf));
        Set<String> onlyCsaf = new TreeSet<>(fixes(csaf));
        onlyCsaf.removeAll(fixes(osv));
        assertEquals(
            List.of(List.of(), List.of()),
            List.of(List.copyOf(onlyOsv), List.copyOf(onlyCsaf)),
            name);
        pairs++;
      }
    }
    assertEquals(2, pairs);
  }

  @Test
  void debianTrackerLists_everyEntryReads() {
    for (String list : List.of("DSA-list", "DLA-list")) {
      ReadBatch<Advisory> batch = READERS.read(data("debian-security-tracker/" + list));
      assertEquals(List.<Quarantined>of(), batch.quarantined(), list);
      assertTrue(batch.accepted().size() > 3000, list + ": " + batch.accepted().size());
    }
  }

  private static Advisory single(ReadBatch<Advisory> batch) {
    assertEquals(List.of(), batch.quarantined());
    assertEquals(1, batch.accepted().size());
    return batch.accepted().get(0);
  }

  /** ecosystem, name, purl and fixed version of every affected package. */
  private static Set<String> fixes(Advisory a) {
    Set<String> out = new TreeSet<>();
    for (AffectedPackage p : a.affected()) {
      for (AffectedRange r : p.ranges()) {
        for (RangeEvent e : r.events()) {
          if (e.kind() == RangeEvent.Kind.FIXED) {
            out.add(
                p.ecosystem() + " " + p.name() + " " + p.purl().orElse("-") + " " + e.version());
          }
        }
      }
    }
    assertTrue(!out.isEmpty(), a.id() + " has no fixed version");
    return out;
  }
}
