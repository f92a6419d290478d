package org.cloudpatch.core.memory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.immutables.value.Value;

/**
 * One thing that really happened in a {@link SimulatedCloud}, as a line of {@code
 * cloud-truth.jsonl} (DESIGN §10, docs/CLOUD-TRUTH.md): when, what, and the fields that apply to
 * that kind of event. The ground truth is the cloud's record, kept apart from any engine's journal,
 * so that a test can check what an engine claims against what happened.
 */
@Value.Immutable
public interface TruthEvent {
  /** When it happened (UTC). */
  Instant at();

  /** What happened. */
  Kind event();

  /** The VM it happened to. */
  Optional<AssetId> vm();

  /** The host it happened to, or that the VM ran on. */
  Optional<HostId> host();

  /** The patch job's key. */
  Optional<String> job();

  /** The SAME_INSTANT group of the job, when the job named it. */
  Optional<String> group();

  /** The how-manyth job on this VM the job is (1-based, counted by the cloud). */
  OptionalInt attempt();

  /** The snapshot taken or reverted to. */
  Optional<String> snapshot();

  /** The host a VM migrated from (field {@code from}). */
  Optional<HostId> fromHost();

  /** The host a VM migrated to (field {@code to}). */
  Optional<HostId> toHost();

  /** vCPUs: a host's capacity ({@code host.added}) or a VM's demand ({@code placed}). */
  OptionalInt cpu();

  /** Memory in GiB: a host's capacity or a VM's demand. */
  OptionalInt memGiB();

  /** Binary package name to version, as installed after the event. */
  Optional<Map<String, String>> installed();

  /** The kinds of event, with their names in {@code cloud-truth.jsonl}. */
  enum Kind {
    /** A host joined the cloud, with its {@code cpu} and {@code memGiB} capacity. */
    HOST_ADDED("host.added"),
    /** A VM was placed on its first host, with its {@code cpu} and {@code memGiB} demand. */
    PLACED("placed"),
    /** A patch job started on a VM. */
    JOB_STARTED("job.started"),
    /** A patch job finished (its effect landed, or it failed), with what is installed after. */
    JOB_FINISHED("job.finished"),
    /** A VM was held from its users. */
    HELD("held"),
    /** A held VM was given back to its users, with what it had installed then. */
    RELEASED("released"),
    /** A snapshot of a VM was taken. */
    SNAPSHOT_TAKEN("snapshot.taken"),
    /**
     * A VM was reverted to a snapshot (a rollback or its user's revert), with what is installed.
     */
    REVERTED("reverted"),
    /** A VM was suspended. */
    SUSPENDED("suspended"),
    /** A VM was resumed. */
    RESUMED("resumed"),
    /** A host entered maintenance mode. */
    MAINTENANCE_ENTERED("maintenance.entered"),
    /** A host left maintenance mode. */
    MAINTENANCE_EXITED("maintenance.exited"),
    /** A VM moved from one host to another. */
    MIGRATED("migrated"),
    /** A host was patched. */
    HOST_PATCHED("host.patched"),
    /** A VM was decommissioned: it left the cloud. */
    DECOMMISSIONED("decommissioned");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** The name in {@code cloud-truth.jsonl}, e.g. {@code job.finished}. */
    public String wireName() {
      return wire;
    }

    /** The kind of a name in {@code cloud-truth.jsonl}. */
    public static Kind ofWireName(String name) {
      for (Kind k : values()) {
        if (k.wire.equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown cloud truth event: " + name);
    }
  }

  /**
   * The event as one line of {@code cloud-truth.jsonl}, without the newline: a JSON object with
   * {@code at} and {@code event} first, then the fields that apply in the order of DESIGN §10,
   * {@code installed} sorted by package name.
   */
  default String toJsonLine() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = TruthJson.FACTORY.createGenerator(out)) {
      TruthJson.write(
          g,
          at(),
          event(),
          vm().map(AssetId::value).orElse(null),
          host().map(HostId::value).orElse(null),
          job().orElse(null),
          group().orElse(null),
          attempt().isPresent() ? attempt().getAsInt() : null,
          snapshot().orElse(null),
          fromHost().map(HostId::value).orElse(null),
          toHost().map(HostId::value).orElse(null),
          cpu().isPresent() ? cpu().getAsInt() : null,
          memGiB().isPresent() ? memGiB().getAsInt() : null,
          installed().orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Reads one line of {@code cloud-truth.jsonl}.
   *
   * @throws IllegalArgumentException naming the problem when the line is not a truth event
   */
  static TruthEvent parse(String line) {
    JsonNode n;
    try {
      n = TruthJson.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object: " + line);
    }
    if (!n.path("at").isTextual() || !n.path("event").isTextual()) {
      throw new IllegalArgumentException("a truth event needs \"at\" and \"event\": " + line);
    }
    Builder b = builder();
    try {
      b.at(Instant.parse(n.get("at").asText()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("/at is not an ISO-8601 instant: " + n.get("at"), e);
    }
    b.event(Kind.ofWireName(n.get("event").asText()));
    text(n, "vm").map(AssetId::of).ifPresent(b::vm);
    text(n, "host").map(HostId::of).ifPresent(b::host);
    text(n, "job").ifPresent(b::job);
    text(n, "group").ifPresent(b::group);
    text(n, "snapshot").ifPresent(b::snapshot);
    text(n, "from").map(HostId::of).ifPresent(b::fromHost);
    text(n, "to").map(HostId::of).ifPresent(b::toHost);
    number(n, "attempt").ifPresent(b::attempt);
    number(n, "cpu").ifPresent(b::cpu);
    number(n, "memGiB").ifPresent(b::memGiB);
    JsonNode installed = n.get("installed");
    if (installed != null) {
      if (!installed.isObject()) {
        throw new IllegalArgumentException("/installed is not an object: " + installed);
      }
      Map<String, String> map = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : installed.properties()) {
        map.put(e.getKey(), e.getValue().asText());
      }
      b.installed(map);
    }
    return b.build();
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("/" + field + " is not a string: " + v);
    }
    return Optional.of(v.asText());
  }

  private static OptionalInt number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) {
      return OptionalInt.empty();
    }
    if (!v.isInt()) {
      throw new IllegalArgumentException("/" + field + " is not an integer: " + v);
    }
    return OptionalInt.of(v.asInt());
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link TruthEvent}. */
  final class Builder extends ImmutableTruthEvent.Builder {}
}
