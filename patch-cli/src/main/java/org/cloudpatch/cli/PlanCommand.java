package org.cloudpatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.cloudpatch.scheduling.plan.PlanInputs;
import org.cloudpatch.scheduling.rollout.FleetPlan;
import org.cloudpatch.scheduling.rollout.FleetPlanner;
import org.cloudpatch.scheduling.rollout.FleetRequest;
import org.cloudpatch.scheduling.rollout.RolloutPolicy;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cloudpatch plan}: a fleet's rollout plan as JSON. The inputs are read by the library's
 * {@link PlanInputs} (both formats are documented in {@code docs/plan-formats.md}); this command
 * only wires files, the start and the output.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the rollout plan of FLEET.json under POLICY.json as JSON: waves, stages (test ring,"
          + " gates), unplaced assets with reasons, SAME_INSTANT group conflicts, the due-date"
          + " forecast per priority and the change requests with every zone's local window.",
      "Both formats are described in docs/plan-formats.md. Bad input exits 2 naming the file and"
          + " the JSON pointer."
    })
final class PlanCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--fleet", required = true, paramLabel = "FLEET.json", description = "Assets.")
  Path fleet = Path.of("");

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "POLICY.json",
      description = "The rollout policy.")
  Path policy = Path.of("");

  @Option(
      names = "--from",
      paramLabel = "ISO",
      description =
          "When the changes are requested and the plan starts: an instant, a date-time with"
              + " offset, or a date (midnight UTC); default now.")
  @Nullable String from;

  private final Clock clock;

  PlanCommand() {
    this(Clock.systemUTC());
  }

  PlanCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    Instant start;
    try {
      start = from == null ? clock.instant() : PlanInputs.instant(from);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--from: " + e.getMessage(), e);
    }
    PlanInputs.Fleet fleetInput = PlanInputs.readFleet(fleet);
    RolloutPolicy rollout = PlanInputs.readPolicy(policy);
    FleetRequest request = fleetInput.request(rollout, start);
    FleetPlan plan;
    try {
      plan = FleetPlanner.create().plan(request);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(policy + ": " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(JSON.writeValueAsString(plan));
    out.flush();
    return 0;
  }
}
