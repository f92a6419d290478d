package org.cloudpatch.audit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.cloudpatch.core.TenantId;
import org.junit.jupiter.api.Test;

/** The OSCAL output validates against NIST's published OSCAL 1.0.6 JSON schemas. */
class OscalSchemaTest {
  private static final List<TenantId> TENANTS =
      List.of(TenantId.of("acme"), TenantId.of("globex"), TenantId.of("initech"));

  private static Schema schema(String name) throws IOException {
    try (InputStream in = OscalSchemaTest.class.getResourceAsStream("oscal/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource oscal/" + name);
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
    }
  }

  private static final Schema AR;
  private static final Schema POAM;

  static {
    try {
      AR = schema("oscal_assessment-results_schema.json");
      POAM = schema("oscal_poam_schema.json");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Error> validate(Schema schema, String json) {
    return schema.validate(json, InputFormat.JSON);
  }

  @Test
  void assessmentResults_ofAFleet_validateAgainstNistSchema() {
    ComplianceReport r = ComplianceReports.report(Fleets.input(1, 600, TENANTS));
    assertEquals(List.of(), validate(AR, ComplianceReports.oscalAssessmentResults(r)));
  }

  @Test
  void poam_ofAFleet_validatesAgainstNistSchema() {
    ComplianceReport r = ComplianceReports.report(Fleets.input(1, 600, TENANTS));
    assertEquals(List.of(), validate(POAM, ComplianceReports.oscalPoam(r)));
  }

  @Test
  void bothDocuments_ofOneTenant_validate() {
    ComplianceReport r =
        ComplianceReports.report(Fleets.input(2, 300, TENANTS), TenantId.of("globex"));
    assertEquals(List.of(), validate(AR, ComplianceReports.oscalAssessmentResults(r)));
    assertEquals(List.of(), validate(POAM, ComplianceReports.oscalPoam(r)));
  }

  @Test
  void bothDocuments_ofAnEmptyFleet_validate_andThePlanSaysNothingIsOutstanding() {
    ComplianceReport r =
        ComplianceReports.report(ComplianceInput.builder().asOf(Fleets.AS_OF).build());
    assertEquals(List.of(), validate(AR, ComplianceReports.oscalAssessmentResults(r)));
    String poam = ComplianceReports.oscalPoam(r);
    assertEquals(List.of(), validate(POAM, poam));
    assertTrue(poam.contains("No outstanding flaw remediation"), poam);
  }

  @Test
  void sameReport_givesTheSameUuids() {
    ComplianceInput in = Fleets.input(3, 120, TENANTS);
    assertEquals(
        ComplianceReports.oscalPoam(ComplianceReports.report(in)),
        ComplianceReports.oscalPoam(ComplianceReports.report(in)));
  }

  // The validator is not vacuous: the schemas' constraints, including the \p{L} and \p{N} classes
  // of OSCAL's token pattern, reject what they should and accept what they should.

  @Test
  void validator_rejectsADocumentWithoutItsUuid() throws IOException {
    ComplianceReport r = ComplianceReports.report(Fleets.input(1, 60, TENANTS));
    ObjectNode doc = (ObjectNode) ReportJson.MAPPER.readTree(ComplianceReports.oscalPoam(r));
    ((ObjectNode) doc.get("plan-of-action-and-milestones")).remove("uuid");
    assertFalse(validate(POAM, doc.toString()).isEmpty());
  }

  @Test
  void tokenPattern_withUnicodeLetterClasses_acceptsLettersAndRejectsALeadingDigit()
      throws IOException {
    ComplianceReport r = ComplianceReports.report(Fleets.input(1, 60, TENANTS));
    String ar = ComplianceReports.oscalAssessmentResults(r);
    assertEquals(List.of(), validate(AR, withControlId(ar, "sí-2")));
    assertEquals(List.of(), validate(AR, withControlId(ar, "_x.2-a")));
    assertFalse(validate(AR, withControlId(ar, "2si")).isEmpty());
    assertFalse(validate(AR, withControlId(ar, "si 2")).isEmpty());
  }

  @Test
  void uuids_areVersion5_asTheSchemaRequires() {
    String u = Oscal.uuid("x");
    assertEquals('5', u.charAt(14));
    assertTrue("89ab".indexOf(u.charAt(19)) >= 0, u);
  }

  private static String withControlId(String ar, String id) throws IOException {
    JsonNode doc = ReportJson.MAPPER.readTree(ar);
    ObjectNode control =
        (ObjectNode)
            doc.at("/assessment-results/results/0/reviewed-controls/control-selections/0")
                .get("include-controls")
                .get(0);
    control.put("control-id", id);
    return doc.toString();
  }
}
