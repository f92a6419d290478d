package org.cloudpatch.scheduling.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.cloudpatch.scheduling.change.ChangePolicy;
import org.cloudpatch.scheduling.rollout.DisruptionBudget;
import org.cloudpatch.scheduling.rollout.FleetRequest;
import org.cloudpatch.scheduling.rollout.Limit;
import org.cloudpatch.scheduling.rollout.RolloutPolicy;
import org.cloudpatch.scheduling.rollout.Target;
import org.cloudpatch.scheduling.rollout.TestRing;
import org.cloudpatch.scheduling.window.RecurringWindow;
import org.cloudpatch.scheduling.window.WindowSchedule;
import org.jspecify.annotations.Nullable;

/**
 * Reads the two JSON inputs of a fleet plan, as {@code docs/plan-formats.md} describes them: a
 * rollout policy ({@code POLICY.json}) and a fleet ({@code FLEET.json}: window schedules, assets,
 * approved group windows).
 *
 * <p>Bad input is an {@link IllegalArgumentException} whose message starts with the source (a file
 * name) and names the position: the line and column of a JSON syntax error, or the JSON pointer of
 * the value that is missing or invalid ({@code fleet.json: /assets/3/zone: "Mars/Base" is invalid:
 * ...}). Stateless and thread-safe.
 */
public final class PlanInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanInputs() {}

  /**
   * A fleet file read: its targets, window schedules and approved group windows.
   *
   * @param source the file it came from, for messages
   * @param targets the assets, in file order
   * @param schedules window schedules by name
   * @param approvedGroupWindows per {@code SAME_INSTANT} group, an approved window
   */
  public record Fleet(
      String source,
      List<Target> targets,
      Map<String, WindowSchedule> schedules,
      Map<String, MaintenanceWindow> approvedGroupWindows) {
    /** Copies. */
    public Fleet {
      Objects.requireNonNull(source, "source");
      targets = List.copyOf(targets);
      schedules = Map.copyOf(schedules);
      approvedGroupWindows = Map.copyOf(approvedGroupWindows);
    }

    /**
     * The plan request for this fleet under {@code policy} from {@code notBefore}.
     *
     * @throws IllegalArgumentException naming the source and the asset's pointer when an asset id
     *     repeats or an asset names a window that is not among the schedules
     */
    public FleetRequest request(RolloutPolicy policy, Instant notBefore) {
      try {
        return new FleetRequest(targets, schedules, policy, notBefore, approvedGroupWindows);
      } catch (IllegalArgumentException e) {
        // FleetRequest names the asset as "targets[i]": the file calls it /assets/i.
        String message =
            String.valueOf(e.getMessage()).replaceFirst("^targets\\[(\\d+)\\]", "/assets/$1");
        throw new IllegalArgumentException(source + ": " + message, e);
      }
    }
  }

  /**
   * Reads a rollout policy file.
   *
   * @throws IllegalArgumentException naming the file and the position when it is unreadable, not
   *     JSON, or a value is invalid
   */
  public static RolloutPolicy readPolicy(Path file) {
    return policy(read(file));
  }

  /** Reads a rollout policy from JSON text; {@code source} names it in messages. */
  public static RolloutPolicy parsePolicy(String source, String json) {
    return policy(parse(source, json));
  }

  /**
   * Reads a fleet file.
   *
   * @throws IllegalArgumentException naming the file and the position when it is unreadable, not
   *     JSON, or a value is invalid
   */
  public static Fleet readFleet(Path file) {
    return fleet(read(file));
  }

  /** Reads a fleet from JSON text; {@code source} names it in messages. */
  public static Fleet parseFleet(String source, String json) {
    return fleet(parse(source, json));
  }

  private static Fleet fleet(Input in) {
    return new Fleet(in.source(), targets(in), schedules(in), approved(in));
  }

  /** A parsed input and its name, for messages that name it and the JSON pointer. */
  record Input(String source, JsonNode root) {
    IllegalArgumentException error(String pointer, String problem) {
      return new IllegalArgumentException(source + ": " + pointer + ": " + problem);
    }
  }

  /** The longest fleet or policy file read: a 100,000-VM fleet is a few tens of megabytes. */
  static final int MAX_INPUT_BYTES = 256 << 20;

  private static Input read(Path path) {
    return read(path, MAX_INPUT_BYTES);
  }

  /** Reads at most {@code max} bytes of {@code path}, refusing a longer input. */
  static Input read(Path path, int max) {
    Objects.requireNonNull(path, "path");
    byte[] bytes;
    // Read through a bound, not whole: the path may be a pipe or /dev/zero as well as a file.
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(max + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot be read (" + e + ")", e);
    }
    if (bytes.length > max) {
      throw new IllegalArgumentException(
          path + ": longer than " + max + " bytes, the bound of a plan input");
    }
    return parse(path.toString(), new String(bytes, StandardCharsets.UTF_8));
  }

  private static Input parse(String source, String text) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
    try {
      JsonNode root = JSON.readTree(text);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException(source + ": is not a JSON object");
      }
      return new Input(source, root);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          source
              + ": invalid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  // ---- POLICY.json ----

  private static RolloutPolicy policy(Input in) {
    JsonNode root = in.root();
    RolloutPolicy defaults = RolloutPolicy.simple(TimingMode.LOCAL_TIME, Limit.count(10));
    TimingMode mode =
        text(
            in,
            root,
            "/timingMode",
            "LOCAL_TIME",
            s -> TimingMode.valueOf(s.toUpperCase(Locale.ROOT)));
    Duration slot = text(in, root, "/slot", "PT30M", Duration::parse);
    Duration horizon = text(in, root, "/horizon", "P56D", Duration::parse);
    Limit max = limit(in, root, "/maxConcurrency", defaults.maxConcurrency());
    Limit errors = limit(in, root, "/errorThreshold", defaults.errorThreshold());
    Duration bake = text(in, root, "/bake", "PT0S", Duration::parse);
    TestRing ring = TestRing.none();
    JsonNode ringNode = root.at("/testRing");
    if (!ringNode.isMissingNode()) {
      List<AssetId> named = new ArrayList<>();
      JsonNode assets = ringNode.path("assets");
      for (int i = 0; i < assets.size(); i++) {
        named.add(AssetId.of(assets.get(i).asText()));
      }
      ring =
          new TestRing(
              named,
              integer(in, root, "/testRing/perStratum", 0),
              integer(in, root, "/testRing/seed", 0));
    }
    List<Integer> stages = new ArrayList<>();
    JsonNode stagesNode = root.at("/stages");
    for (int i = 0; i < stagesNode.size(); i++) {
      stages.add(integer(in, root, "/stages/" + i, 0));
    }
    if (stages.isEmpty()) {
      stages.add(100);
    }
    List<DisruptionBudget> budgets = new ArrayList<>();
    JsonNode budgetsNode = root.at("/disruptionBudgets");
    for (int i = 0; i < budgetsNode.size(); i++) {
      String p = "/disruptionBudgets/" + i;
      budgets.add(
          guard(
              in,
              p,
              () ->
                  new DisruptionBudget(
                      required(in, root, p + "/key").asText(), integer(in, root, p + "/max", 0))));
    }
    ChangePolicy change = change(in, root);
    List<Integer> stageList = stages;
    Limit maxLimit = max;
    TestRing testRing = ring;
    return guard(
        in,
        "",
        () ->
            new RolloutPolicy(
                mode, slot, horizon, maxLimit, errors, bake, testRing, stageList, budgets, change));
  }

  private static ChangePolicy change(Input in, JsonNode root) {
    ChangePolicy d = ChangePolicy.defaults();
    if (root.at("/change").isMissingNode()) {
      return d;
    }
    Set<Priority> standard =
        priorities(in, root, "/change/standardPriorities", d.standardPriorities());
    Set<Priority> emergency =
        priorities(in, root, "/change/emergencyPriorities", d.emergencyPriorities());
    return guard(
        in,
        "/change",
        () ->
            new ChangePolicy(
                standard,
                text(
                    in,
                    root,
                    "/change/normalLeadTime",
                    d.normalLeadTime().toString(),
                    Duration::parse),
                emergency,
                bool(
                    in, root, "/change/emergencyForKnownExploited", d.emergencyForKnownExploited()),
                text(
                    in,
                    root,
                    "/change/emergencyLeadTime",
                    d.emergencyLeadTime().toString(),
                    Duration::parse),
                bool(in, root, "/change/emergencyWindows", d.emergencyWindows()),
                text(
                    in,
                    root,
                    "/change/emergencyWindowDuration",
                    d.emergencyWindowDuration().toString(),
                    Duration::parse)));
  }

  // ---- FLEET.json ----

  private static Map<String, WindowSchedule> schedules(Input in) {
    JsonNode windows = required(in, in.root(), "/windows");
    Map<String, WindowSchedule> schedules = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : windows.properties()) {
      String p = "/windows/" + e.getKey();
      JsonNode w = e.getValue();
      schedules.put(
          e.getKey(),
          guard(
              in,
              p,
              () -> {
                JsonNode expr = required(in, in.root(), p + "/schedule");
                RecurringWindow window =
                    RecurringWindow.parse(expr.isTextual() ? expr.asText() : expr.toString());
                if (w.has("duration")) {
                  window =
                      window.withDuration(
                          text(in, in.root(), p + "/duration", "", Duration::parse));
                }
                if (w.has("cutoff")) {
                  window =
                      window.withCutoffBeforeEnd(
                          text(in, in.root(), p + "/cutoff", "", Duration::parse));
                }
                if (w.has("offset")) {
                  window = window.withDayOffset(integer(in, in.root(), p + "/offset", 0));
                }
                return window;
              }));
    }
    return schedules;
  }

  private static List<Target> targets(Input in) {
    JsonNode assets = required(in, in.root(), "/assets");
    if (!assets.isArray()) {
      throw in.error("/assets", "must be an array");
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < assets.size(); i++) {
      String p = "/assets/" + i;
      JsonNode a = assets.get(i);
      targets.add(
          guard(
              in,
              p,
              () -> {
                Map<String, String> labels = new HashMap<>();
                a.path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                return new Target(
                    AssetId.of(required(in, in.root(), p + "/id").asText()),
                    text(in, in.root(), p + "/zone", null, ZoneId::of),
                    a.path("image").asText(""),
                    labels,
                    a.hasNonNull("group") ? Optional.of(a.get("group").asText()) : Optional.empty(),
                    a.path("window").asText(Target.DEFAULT_WINDOW),
                    text(
                        in,
                        in.root(),
                        p + "/priority",
                        "P3",
                        s -> Priority.valueOf(s.toUpperCase(Locale.ROOT))),
                    a.hasNonNull("due")
                        ? Optional.of(text(in, in.root(), p + "/due", null, PlanInputs::instant))
                        : Optional.empty(),
                    bool(in, in.root(), p + "/knownExploited", false));
              }));
    }
    return targets;
  }

  private static Map<String, MaintenanceWindow> approved(Input in) {
    Map<String, MaintenanceWindow> approved = new HashMap<>();
    JsonNode node = in.root().at("/approvedGroupWindows");
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String p = "/approvedGroupWindows/" + e.getKey();
      approved.put(
          e.getKey(),
          guard(
              in,
              p,
              () ->
                  MaintenanceWindow.of(
                      text(in, in.root(), p + "/start", null, PlanInputs::instant),
                      text(in, in.root(), p + "/end", null, PlanInputs::instant),
                      text(in, in.root(), p + "/zone", "UTC", ZoneId::of))));
    }
    return approved;
  }

  // ---- small readers: each names the file and the pointer on failure ----

  private static JsonNode required(Input in, JsonNode root, String pointer) {
    JsonNode n = root.at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      throw in.error(pointer, "is required");
    }
    return n;
  }

  private static <T> T text(
      Input in,
      JsonNode root,
      String pointer,
      @Nullable String fallback,
      Function<String, T> parse) {
    JsonNode n = root.at(pointer);
    String s;
    if (n.isMissingNode() || n.isNull()) {
      if (fallback == null) {
        throw in.error(pointer, "is required");
      }
      s = fallback;
    } else {
      s = n.asText();
    }
    try {
      return parse.apply(s);
    } catch (RuntimeException e) {
      throw in.error(pointer, "\"" + s + "\" is invalid: " + e.getMessage());
    }
  }

  private static Limit limit(Input in, JsonNode root, String pointer, Limit fallback) {
    JsonNode n = root.at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      return fallback;
    }
    try {
      return Limit.parse(n.asText());
    } catch (IllegalArgumentException e) {
      throw in.error(pointer, String.valueOf(e.getMessage()));
    }
  }

  private static int integer(Input in, JsonNode root, String pointer, int fallback) {
    JsonNode n = root.at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber()) {
      throw in.error(pointer, "must be an integer, not " + n);
    }
    return n.asInt();
  }

  private static boolean bool(Input in, JsonNode root, String pointer, boolean fallback) {
    JsonNode n = root.at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw in.error(pointer, "must be true or false, not " + n);
    }
    return n.asBoolean();
  }

  private static Set<Priority> priorities(
      Input in, JsonNode root, String pointer, Set<Priority> fallback) {
    JsonNode n = root.at(pointer);
    if (n.isMissingNode()) {
      return fallback;
    }
    Set<Priority> result = EnumSet.noneOf(Priority.class);
    for (int i = 0; i < n.size(); i++) {
      result.add(
          text(
              in,
              root,
              pointer + "/" + i,
              null,
              s -> Priority.valueOf(s.toUpperCase(Locale.ROOT))));
    }
    return result;
  }

  private static <T> T guard(Input in, String pointer, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(in.source() + ": ")) {
        throw e;
      }
      throw in.error(pointer.isEmpty() ? "/" : pointer, String.valueOf(e.getMessage()));
    }
  }

  /**
   * An instant from an ISO-8601 instant, a date-time with offset, or a date (midnight UTC).
   *
   * @throws IllegalArgumentException naming the text when it is none of them
   */
  public static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      // not an instant; try the other forms
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      // not with an offset
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an ISO-8601 instant, date-time with offset, or date", e);
    }
  }
}
