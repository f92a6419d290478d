package org.cloudpatch.core.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.spi.JournalEntry;

/**
 * Turns events into journal data and back. The JSON of an event is its record components in
 * declaration order, so the same event always gives the same bytes.
 */
final class EventCodec {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .build();

  private static final Map<String, Class<? extends ProcessEvent>> TYPES = new TreeMap<>();

  static {
    List<Class<?>> events = new ArrayList<>(List.of(ProcessEvent.class.getPermittedSubclasses()));
    for (int i = 0; i < events.size(); i++) {
      Class<?> c = events.get(i);
      if (!c.isRecord()) {
        events.addAll(List.of(c.getPermittedSubclasses())); // a sealed sub-interface
        continue;
      }
      @SuppressWarnings("unchecked")
      Class<? extends ProcessEvent> event = (Class<? extends ProcessEvent>) c;
      for (String type : Journaled.TYPES.get(event)) {
        TYPES.put(type, event);
      }
    }
  }

  /**
   * The field that marks an entry as one of a decision of several entries: {@code {"first": seq of
   * the decision's first entry, "size": how many entries it has}}. Replay applies a decision only
   * when all its entries are there; a crash inside an append leaves a torn prefix, which is
   * ignored.
   */
  static final String DECISION = "decision";

  private EventCodec() {}

  /** The data of an entry that is entry {@code first + i} of a decision of {@code size}. */
  static ObjectNode encode(ProcessEvent event, long first, int size) {
    ObjectNode data = encode(event);
    if (size > 1) {
      ObjectNode d = data.putObject(DECISION);
      d.put("first", first);
      d.put("size", size);
    }
    return data;
  }

  static ObjectNode encode(ProcessEvent event) {
    return MAPPER.valueToTree(event);
  }

  /**
   * The event of a journal entry.
   *
   * @throws PatchException naming the seq when the entry is of an unknown type or its data does not
   *     fit the type
   */
  static ProcessEvent decode(JournalEntry entry) {
    ObjectNode data = entry.data();
    if (data.has(DECISION)) {
      data = data.deepCopy();
      data.remove(DECISION);
    }
    Class<? extends ProcessEvent> c = TYPES.get(entry.type());
    if (c == null) {
      throw new PatchException(
          "journal entry seq " + entry.seq() + " has unknown type '" + entry.type() + "'");
    }
    try {
      ProcessEvent event = MAPPER.treeToValue(data, c);
      if (!event.type().equals(entry.type())) {
        throw new PatchException(
            "journal entry seq "
                + entry.seq()
                + " says type '"
                + entry.type()
                + "' but its data is a '"
                + event.type()
                + "'");
      }
      return event;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new PatchException(
          "journal entry seq "
              + entry.seq()
              + " ("
              + entry.type()
              + ") cannot be read: "
              + e.getMessage(),
          e);
    }
  }

  /** Every journal type the engine writes. */
  static java.util.Set<String> types() {
    return java.util.Collections.unmodifiableSet(TYPES.keySet());
  }
}
