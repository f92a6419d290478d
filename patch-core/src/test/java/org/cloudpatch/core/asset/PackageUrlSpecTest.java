package org.cloudpatch.core.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link PackageUrl} against the purl specification's own test suite ({@code
 * purl-spec/test-suite-data.json} beside this class; its README names the commit and licence), and
 * against the package URLs real SBOMs and CSAF documents carry.
 */
class PackageUrlSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> specificationTestSuite() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            PackageUrlSpecTest.class.getResourceAsStream("purl-spec/test-suite-data.json"))) {
      return cases(JSON.readTree(in)).stream();
    }
  }

  /** A later suite, when {@code -Dcloudpatch.purl.suite=FILE} names one. */
  @TestFactory
  Stream<DynamicTest> laterSpecificationTestSuite_whenGiven() throws IOException {
    String file = System.getProperty("cloudpatch.purl.suite");
    Assumptions.assumeTrue(
        file != null, "no -Dcloudpatch.purl.suite=FILE given: only the committed suite runs");
    return cases(JSON.readTree(Files.readString(Path.of(file)))).stream();
  }

  private static List<DynamicTest> cases(JsonNode suite) {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : suite) {
      String purl = c.get("purl").asText();
      tests.add(
          DynamicTest.dynamicTest(
              c.get("description").asText() + ": " + purl,
              () -> {
                if (c.get("is_invalid").asBoolean()) {
                  assertThrows(IllegalArgumentException.class, () -> PackageUrl.parse(purl));
                  return;
                }
                PackageUrl p = PackageUrl.parse(purl);
                assertEquals(c.get("type").asText(), p.type());
                assertEquals(text(c, "namespace"), p.namespace().orElse(null));
                assertEquals(c.get("name").asText(), p.name());
                assertEquals(text(c, "version"), p.version().orElse(null));
                assertEquals(qualifiers(c.get("qualifiers")), p.qualifiers());
                assertEquals(text(c, "subpath"), p.subpath().orElse(null));
                String canonical = c.get("canonical_purl").asText();
                assertEquals(canonical, p.toString());
                assertEquals(p, PackageUrl.parse(canonical));
              }));
    }
    return tests;
  }

  private static @Nullable String text(JsonNode c, String field) {
    JsonNode v = c.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, String> qualifiers(@Nullable JsonNode q) {
    Map<String, String> m = new LinkedHashMap<>();
    if (q != null && !q.isNull()) {
      q.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  @Test
  void osvName_spellsEachRegistryAsItsAdvisoriesDo() {
    assertEquals(
        "org.apache.logging.log4j:log4j-core",
        PackageUrl.parse("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1").osvName());
    assertEquals("@angular/core", PackageUrl.parse("pkg:npm/%40angular/core@1.0.0").osvName());
    assertEquals(
        "golang.org/x/net", PackageUrl.parse("pkg:golang/golang.org/x/net@v0.1.0").osvName());
    assertEquals("openssl", PackageUrl.parse("pkg:deb/debian/openssl@3.0.9-1").osvName());
    assertEquals("Maven", PackageUrl.parse("pkg:maven/a/b@1").registryEcosystem().orElseThrow());
    assertEquals(
        "crates.io", PackageUrl.parse("pkg:cargo/serde@1.0.0").registryEcosystem().orElseThrow());
    assertTrue(PackageUrl.parse("pkg:deb/debian/openssl@3.0.9-1").registryEcosystem().isEmpty());
  }

  @Test
  void unencodedNpmScope_asSbomsWriteIt_isTheNamespace_notAVersion() {
    PackageUrl p = PackageUrl.parse("pkg:npm/@angular/core");
    assertEquals("@angular", p.namespace().orElseThrow());
    assertTrue(p.version().isEmpty());
    assertEquals("pkg:npm/%40angular/core", p.toString());
  }

  @Test
  void debianVersionWithPlusAndEpoch_keepsThePlus() {
    PackageUrl p = PackageUrl.parse("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?epoch=1");
    assertEquals("7.88.1-10+deb12u5", p.version().orElseThrow());
    assertEquals(p, PackageUrl.parse("pkg:deb/debian/curl@7.88.1-10+deb12u5?epoch=1"));
    assertEquals("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?epoch=1", p.toString());
  }

  @Test
  void badPercentEncoding_isRejectedNamingTheUrl() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PackageUrl.parse("pkg:npm/a%zz@1"));
    assertTrue(e.getMessage().contains("pkg:npm/a%zz@1"), e.getMessage());
  }
}
