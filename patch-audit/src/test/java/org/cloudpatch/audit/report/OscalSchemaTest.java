package org.cloudpatch.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.process.RiskItem;
import org.junit.jupiter.api.Test;

/**
 * The OSCAL output validates against NIST's OSCAL 1.1.2 JSON schemas for assessment results and
 * POA&amp;M, and the validator demonstrably rejects what those schemas forbid.
 *
 * <p>The schemas are not copied into this repository: they are the {@code schema/json} resources of
 * NIST's {@code gov.nist.secauto.oscal:liboscal-java:3.0.3} on Maven Central (a test dependency
 * with all of its own dependencies excluded; only these two files are read). NIST generates them
 * from the OSCAL 1.1.2 metaschema; liboscal-java validates OSCAL JSON with them.
 */
class OscalSchemaTest {
  static final String SCHEMA_VERSION = "1.1.2";
  private static final List<TenantId> TENANTS =
      List.of(TenantId.of("acme"), TenantId.of("globex"), TenantId.of("initech"));

  private static final Schema AR = schema("oscal-ar_schema.json");
  private static final Schema POAM = schema("oscal-poam_schema.json");

  private static String schemaText(String name) {
    String path = "/schema/json/" + name;
    try (InputStream in = OscalSchemaTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            path
                + " is not on the test class path: it comes from the test dependency"
                + " gov.nist.secauto.oscal:liboscal-java (see the parent pom)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  private static Schema schema(String name) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
        .getSchema(schemaText(name), InputFormat.JSON);
  }

  /** Each error as "JSON pointer of the instance: message", in the validator's order. */
  private static List<String> errors(Schema schema, String json) {
    List<Error> errors = schema.validate(json, InputFormat.JSON);
    return errors.stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .collect(Collectors.toList());
  }

  private static void assertValid(Schema schema, String json) {
    List<String> errors = errors(schema, json);
    // Printed one a line with its JSON path, so a failing CI log says what to fix.
    errors.stream().limit(20).forEach(e -> System.out.println("OSCAL schema error " + e));
    assertEquals(List.of(), errors, () -> String.join("\n", errors));
  }

  private static void assertAnErrorAt(List<String> errors, String path) {
    assertTrue(
        errors.stream().anyMatch(e -> e.startsWith(path + ": ")),
        () -> "expected an error at " + path + ", got " + errors);
  }

  private static ComplianceReport fleet() {
    // 600 VMs: suspended, stopped, held and reverted VMs, every item state, open and expired risk
    // acceptances, overdue advisories.
    return ComplianceReports.report(Fleets.input(1, 600, TENANTS));
  }

  @Test
  void theSchemas_areNistsOscal112_andTheDocumentsSayThatVersion() {
    assertTrue(
        schemaText("oscal-ar_schema.json").contains("oscal-ar-" + SCHEMA_VERSION + "-schema.json"));
    assertTrue(
        schemaText("oscal-poam_schema.json")
            .contains("oscal-poam-" + SCHEMA_VERSION + "-schema.json"));
    assertEquals(SCHEMA_VERSION, Oscal.OSCAL_VERSION);
  }

  @Test
  void theFleetFixture_hasWhatTheDocumentsMustCarry() {
    ComplianceReport r = fleet();
    assertTrue(
        r.exceptions().stream().anyMatch(ComplianceReport.ExceptionEntry::expired),
        "an expired exception");
    assertTrue(r.exceptions().stream().anyMatch(e -> !e.expired()), "an active exception");
    assertTrue(
        r.assets().stream()
            .anyMatch(a -> a.powerState() == org.cloudpatch.core.asset.Asset.PowerState.SUSPENDED),
        "a suspended VM");
    assertTrue(r.advisories().stream().anyMatch(a -> a.overdue() > 0), "an overdue advisory");
  }

  @Test
  void assessmentResults_ofAFleet_validateAgainstNistSchema() {
    assertValid(AR, ComplianceReports.oscalAssessmentResults(fleet()));
  }

  @Test
  void poam_ofAFleet_validatesAgainstNistSchema() {
    assertValid(POAM, ComplianceReports.oscalPoam(fleet()));
  }

  @Test
  void bothDocuments_ofOneTenant_validate() {
    ComplianceReport r =
        ComplianceReports.report(Fleets.input(2, 300, TENANTS), TenantId.of("globex"));
    assertValid(AR, ComplianceReports.oscalAssessmentResults(r));
    assertValid(POAM, ComplianceReports.oscalPoam(r));
  }

  @Test
  void bothDocuments_ofAnEmptyFleet_validate_andThePlanSaysNothingIsOutstanding() {
    ComplianceReport r =
        ComplianceReports.report(ComplianceInput.builder().asOf(Fleets.AS_OF).build());
    assertValid(AR, ComplianceReports.oscalAssessmentResults(r));
    String poam = ComplianceReports.oscalPoam(r);
    assertValid(POAM, poam);
    assertTrue(poam.contains("No outstanding flaw remediation"), poam);
  }

  @Test
  void bothDocuments_ofManySeeds_validate() {
    for (long seed = 10; seed < 16; seed++) {
      ComplianceReport r = ComplianceReports.report(Fleets.input(seed, 90, TENANTS));
      assertValid(AR, ComplianceReports.oscalAssessmentResults(r));
      assertValid(POAM, ComplianceReports.oscalPoam(r));
    }
  }

  // What hosts name freely (the report's title, tenants, assets, risk ids, owners and reasons) can
  // hold line breaks, white space at either end and Unicode spaces; OSCAL's one-line types
  // (markup-line, string) forbid the first two, and JSON Schema's regexes (ECMA-262) count the
  // Unicode spaces as white space. Characters drawn from this alphabet.
  private static final int[] ALPHABET = {
    'a', 'Z', 0xE9, 0x5B57, '-', ':', '@', '.', ' ', '\t', '\n', '\r', 0xA0, 0x85, 0x2028, 0x2029,
    0x3000, 0xFEFF, 0x200B
  };

  private static String text(List<Integer> picks, boolean identifier) {
    StringBuilder b = new StringBuilder();
    for (int i : picks) {
      int c = ALPHABET[i];
      // Identifiers (tenant, asset) reject ISO control characters; free text does not.
      if (!identifier || !Character.isISOControl(c)) {
        b.appendCodePoint(c);
      }
    }
    return b.toString();
  }

  @Test
  void bothDocuments_validate_whateverTheHostNamesThings() {
    qt().withExamples(40)
        .forAll(
            lists()
                .of(lists().of(integers().between(0, ALPHABET.length - 1)).ofSizeBetween(0, 6))
                .ofSize(6),
            integers().between(0, 1_000_000))
        .checkAssert(OscalSchemaTest::validatesWithNames);
  }

  private static void validatesWithNames(List<List<Integer>> picks, int seed) {
    String tenantName = text(picks.get(0), true);
    String assetName = text(picks.get(1), true);
    String title = text(picks.get(2), false);
    String riskId = text(picks.get(3), false);
    String owner = text(picks.get(4), false);
    String reason = text(picks.get(5), false);
    // Identifiers must not be blank; a letter keeps two tenants apart.
    List<TenantId> tenants = List.of(TenantId.of("t" + tenantName), TenantId.of(tenantName + "u"));
    ComplianceInput fleet =
        Fleets.input(seed, 60, tenants, (t, i) -> AssetId.of(assetName + i + assetName));
    List<RiskItem> risks = new ArrayList<>();
    for (RiskItem r : fleet.risks()) {
      risks.add(
          RiskItem.builder()
              .from(r)
              .id(risks.size() % 2 == 0 ? riskId : riskId + risks.size())
              .owner(owner)
              .reason(reason)
              .build());
    }
    ComplianceInput in = ComplianceInput.builder().from(fleet).title(title).risks(risks).build();
    for (ComplianceReport r :
        List.of(ComplianceReports.report(in), ComplianceReports.report(in, tenants.get(1)))) {
      assertValid(AR, ComplianceReports.oscalAssessmentResults(r));
      assertValid(POAM, ComplianceReports.oscalPoam(r));
    }
  }

  @Test
  void line_leavesNoLineBreak_andNoEcmaWhiteSpaceAtEitherEnd() {
    // ECMA-262's WhiteSpace and LineTerminator, which its \s (and so JSON Schema's patterns) means;
    // Java's \s holds only the ASCII ones, so a Java-regex validator alone would not catch these.
    int[] blanks = {
      '\t', 0x0B, '\f', ' ', 0xA0, 0x1680, 0x2000, 0x200A, 0x202F, 0x205F, 0x3000, 0xFEFF, '\n',
      '\r', 0x2028, 0x2029
    };
    for (int c : blanks) {
      String b = Character.toString(c);
      assertEquals(
          "x y", Oscal.line(b + "x" + b + b + "y" + b), () -> "U+" + Integer.toHexString(c));
    }
    assertEquals("DSA-5600-1 on vm 7", Oscal.line("DSA-5600-1 on vm\r\n7"));
    assertEquals("", Oscal.line(" \u2028 "));
  }

  // What the JSON schemas cannot say but OSCAL's metaschema constraints do: uuids are unique in a
  // document and every reference by uuid names something in it.

  @Test
  void everyUuid_isUnique_andEveryReference_namesSomethingInTheDocument() throws IOException {
    ComplianceReport r = fleet();
    for (String json :
        List.of(ComplianceReports.oscalAssessmentResults(r), ComplianceReports.oscalPoam(r))) {
      JsonNode doc = tree(json);
      List<String> uuids = doc.findValuesAsText("uuid");
      assertEquals(uuids.size(), new java.util.HashSet<>(uuids).size(), "duplicate uuid");
      List<String> refs = new ArrayList<>();
      for (String field : List.of("observation-uuid", "risk-uuid", "subject-uuid")) {
        refs.addAll(doc.findValuesAsText(field));
      }
      doc.findValuesAsText("href").stream()
          .filter(h -> h.startsWith("#"))
          .forEach(h -> refs.add(h.substring(1)));
      assertTrue(refs.size() > 100, "references to check: " + refs.size());
      for (String ref : refs) {
        assertTrue(uuids.contains(ref), () -> "dangling reference " + ref);
      }
    }
  }

  @Test
  void sameReport_givesTheSameBytes() {
    ComplianceInput in = Fleets.input(3, 120, TENANTS);
    assertEquals(
        ComplianceReports.oscalPoam(ComplianceReports.report(in)),
        ComplianceReports.oscalPoam(ComplianceReports.report(in)));
    assertEquals(
        ComplianceReports.oscalAssessmentResults(ComplianceReports.report(in)),
        ComplianceReports.oscalAssessmentResults(ComplianceReports.report(in)));
  }

  // The validator is not vacuous: each broken copy of a valid document is rejected, with an error
  // at the broken place.

  @Test
  void validator_rejectsAPoamWithoutItsUuid_namingThatObject() throws IOException {
    ObjectNode doc = tree(ComplianceReports.oscalPoam(fleet()));
    ((ObjectNode) doc.get("plan-of-action-and-milestones")).remove("uuid");
    List<String> errors = errors(POAM, doc.toString());
    assertAnErrorAt(errors, "/plan-of-action-and-milestones");
    assertTrue(errors.stream().anyMatch(e -> e.contains("uuid")), errors::toString);
  }

  @Test
  void validator_rejectsAFindingWithoutItsTarget() throws IOException {
    ObjectNode doc = tree(ComplianceReports.oscalAssessmentResults(fleet()));
    ((ObjectNode) doc.at("/assessment-results/results/0/findings/0")).remove("target");
    assertAnErrorAt(errors(AR, doc.toString()), "/assessment-results/results/0/findings/0");
  }

  @Test
  void validator_rejectsADateTimeWithoutAZone() throws IOException {
    ObjectNode doc = tree(ComplianceReports.oscalAssessmentResults(fleet()));
    ((ObjectNode) doc.at("/assessment-results/metadata")).put("last-modified", "2026-04-01T00:00");
    assertAnErrorAt(errors(AR, doc.toString()), "/assessment-results/metadata/last-modified");
  }

  @Test
  void validator_rejectsAnUnknownProperty() throws IOException {
    ObjectNode doc = tree(ComplianceReports.oscalPoam(fleet()));
    ((ObjectNode) doc.at("/plan-of-action-and-milestones/poam-items/0")).put("severity", "high");
    assertAnErrorAt(errors(POAM, doc.toString()), "/plan-of-action-and-milestones/poam-items/0");
  }

  @Test
  void validator_rejectsAVersion1Uuid() throws IOException {
    ObjectNode doc = tree(ComplianceReports.oscalPoam(fleet()));
    ((ObjectNode) doc.get("plan-of-action-and-milestones"))
        .put("uuid", "6f1d3c36-4a8e-1b7e-9a51-3c0e8d2f7a10");
    assertAnErrorAt(errors(POAM, doc.toString()), "/plan-of-action-and-milestones/uuid");
  }

  @Test
  void tokenPattern_withUnicodeLetterClasses_acceptsLettersAndRejectsALeadingDigit()
      throws IOException {
    String ar = ComplianceReports.oscalAssessmentResults(fleet());
    assertValid(AR, withControlId(ar, "sí-2"));
    assertValid(AR, withControlId(ar, "_x.2-a"));
    String at =
        "/assessment-results/results/0/reviewed-controls/control-selections/0"
            + "/include-controls/0/control-id";
    assertAnErrorAt(errors(AR, withControlId(ar, "2si")), at);
    assertAnErrorAt(errors(AR, withControlId(ar, "si 2")), at);
  }

  @Test
  void uuids_areVersion5_asTheSchemaRequires() {
    String u = Oscal.uuid("x");
    assertEquals('5', u.charAt(14));
    assertTrue("89ab".indexOf(u.charAt(19)) >= 0, u);
  }

  private static ObjectNode tree(String json) throws IOException {
    return (ObjectNode) ReportJson.MAPPER.readTree(json);
  }

  private static String withControlId(String ar, String id) throws IOException {
    JsonNode doc = tree(ar);
    ObjectNode control =
        (ObjectNode)
            doc.at("/assessment-results/results/0/reviewed-controls/control-selections/0")
                .get("include-controls")
                .get(0);
    control.put("control-id", id);
    return doc.toString();
  }
}
