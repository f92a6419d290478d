package org.cloudpatch.core.severity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cloudpatch.core.asset.Asset;
import org.junit.jupiter.api.Test;

/** {@code examples/policy.json} is a policy that reads, and writes out every section and key. */
class ExamplePolicyTest {
  private static final Path POLICY = Path.of("..", "examples", "policy.json");

  @Test
  void examplePolicy_reads_andNamesEverySectionAndKey() throws IOException {
    String json = Files.readString(POLICY);
    EnterprisePolicy.fromJson(json);
    JsonNode root = JsonMapper.builder().build().readTree(json);

    for (String section :
        List.of("timeToRemediate", "unscored", "cvss", "epss", "kev", "assets", "ssvc")) {
      assertTrue(root.has(section), "examples/policy.json has no " + section);
    }
    for (Priority p : Priority.values()) {
      assertTrue(root.path("timeToRemediate").has(p.name()), "no timeToRemediate for " + p);
    }
    assertTrue(root.path("kev").has("priority") && root.path("kev").has("dueByCatalog"));
    for (Asset.Criticality c : Asset.Criticality.values()) {
      assertTrue(root.path("assets").path("criticality").has(c.name()), "no criticality " + c);
    }
    for (Asset.Exposure e : Asset.Exposure.values()) {
      assertTrue(root.path("assets").path("exposure").has(e.name()), "no exposure " + e);
    }
    assertEquals(SsvcDecision.values().length, root.path("ssvc").size());
    for (String decision : List.of("Immediate", "Out-of-Cycle", "Scheduled", "Defer")) {
      assertTrue(root.path("ssvc").has(decision), "no ssvc " + decision);
    }
  }
}
