package org.cloudpatch.core.advisory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsvReaderTest {
  static final String GOOD =
      """
      {"id": "DSA-5678-1", "modified": "2024-07-02T10:00:00Z", "published": "2024-07-01T00:00:00Z",
       "aliases": ["CVE-2024-6387"], "summary": "openssh: regreSSHion",
       "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
       "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssh"},
         "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1:9.2p1-2+deb12u3"}]}]}],
       "references": [{"type": "ADVISORY", "url": "https://security-tracker.debian.org/tracker/DSA-5678-1"}]}
      """;

  private static ReadBatch<Advisory> read(String json) {
    return OsvReader.create()
        .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "mem.json");
  }

  @Test
  void osvRecord_mapsIntoTheModel() {
    ReadBatch<Advisory> batch = read(GOOD);
    assertEquals(0, batch.quarantined().size());
    Advisory a = batch.accepted().get(0);
    assertEquals("DSA-5678-1", a.id().value());
    assertEquals("DSA", a.source());
    assertEquals(Instant.parse("2024-07-01T00:00:00Z"), a.published());
    assertEquals("CVE-2024-6387", a.aliases().get(0));
    AffectedPackage p = a.affected().get(0);
    assertEquals("Debian:12", p.ecosystem());
    assertEquals(RangeEvent.fixed("1:9.2p1-2+deb12u3"), p.ranges().get(0).events().get(1));
    assertEquals(Remediation.Kind.VENDOR_FIX, a.remediations().get(0).kind());
  }

  @Test
  void badRecordInAnArray_isQuarantinedWithItsJsonPointer_andTheRestIsRead() {
    String json =
        "["
            + GOOD
            + ", {\"id\": \"X-1\", \"modified\": \"2024-01-01T00:00:00Z\", \"affected\": [{\"package\":"
            + " {\"ecosystem\": \"Debian:12\", \"name\": \"curl\"}, \"ranges\": [{\"type\":"
            + " \"ECOSYSTEM\", \"events\": [{\"fixed\": 7}]}]}]}, "
            + GOOD.replace("DSA-5678-1", "DSA-5679-1")
            + "]";
    ReadBatch<Advisory> batch = read(json);
    assertEquals(2, batch.accepted().size());
    Quarantined q = batch.quarantined().get(0);
    assertEquals("mem.json", q.source());
    assertEquals("/1/affected/0/ranges/0/events/0/fixed", q.position());
    assertTrue(q.reason().contains("non-empty string"), q.reason());
  }

  @Test
  void missingModified_isQuarantined() {
    Quarantined q = read("{\"id\": \"X-2\"}").quarantined().get(0);
    assertEquals("/modified", q.position());
  }

  @Test
  void invalidJson_isQuarantinedWithLineAndColumn() {
    Quarantined q = read("{\"id\": \n  nope}").quarantined().get(0);
    assertTrue(q.position().startsWith("line 2"), q.position());
  }

  @Test
  void directoryAndZip_areReadInPathOrder(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("b.json"), GOOD.replace("DSA-5678-1", "DSA-2"));
    Files.writeString(dir.resolve("a.json"), GOOD.replace("DSA-5678-1", "DSA-1"));
    Files.writeString(dir.resolve("notes.txt"), "not an advisory");
    Path zip = dir.resolve("all.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("DSA-3.json"));
      z.write(GOOD.replace("DSA-5678-1", "DSA-3").getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("broken.json"));
      z.write("{".getBytes(StandardCharsets.UTF_8));
    }
    ReadBatch<Advisory> batch = OsvReader.create().read(dir);
    assertEquals(
        java.util.List.of("DSA-1", "DSA-3", "DSA-2"),
        batch.accepted().stream().map(a -> a.id().value()).toList());
    assertTrue(batch.quarantined().get(0).source().endsWith("all.zip!/broken.json"));
  }

  @Test
  void sharedOsvAdvisories_allRead() {
    Path dir = org.cloudpatch.core.severity.ConformanceAccess.dir().resolve("osv-advisories");
    assumeTrue(Files.isDirectory(dir), "conformance data not found at " + dir);
    ReadBatch<Advisory> batch = OsvReader.create().read(dir);
    assertTrue(batch.accepted().size() >= 30, "read " + batch.accepted().size());
    assertEquals(
        java.util.List.of(), batch.quarantined().stream().map(Quarantined::describe).toList());
  }
}
