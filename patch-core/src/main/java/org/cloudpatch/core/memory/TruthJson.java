package org.cloudpatch.core.memory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The one place that lays out a {@code cloud-truth.jsonl} line, so both writers agree. */
final class TruthJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonFactory FACTORY = MAPPER.getFactory();

  private TruthJson() {}

  @SuppressWarnings("TooManyParameters") // one parameter per field of the line format
  static void write(
      JsonGenerator g,
      Instant at,
      TruthEvent.Kind event,
      @Nullable String vm,
      @Nullable String host,
      @Nullable String job,
      @Nullable String group,
      @Nullable Integer attempt,
      @Nullable String snapshot,
      @Nullable String from,
      @Nullable String to,
      @Nullable Integer cpu,
      @Nullable Integer memGiB,
      @Nullable Map<String, String> installed)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("at", at.toString());
    g.writeStringField("event", event.wireName());
    string(g, "vm", vm);
    string(g, "host", host);
    string(g, "job", job);
    string(g, "group", group);
    if (attempt != null) {
      g.writeNumberField("attempt", attempt);
    }
    string(g, "snapshot", snapshot);
    string(g, "from", from);
    string(g, "to", to);
    if (cpu != null) {
      g.writeNumberField("cpu", cpu);
    }
    if (memGiB != null) {
      g.writeNumberField("memGiB", memGiB);
    }
    if (installed != null) {
      g.writeObjectFieldStart("installed");
      for (Map.Entry<String, String> e : new TreeMap<>(installed).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, String field, @Nullable String value)
      throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }
}
