package org.cloudpatch.core.severity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.batch.Quarantined;
import org.cloudpatch.core.batch.ReadBatch;

/**
 * Threat intelligence joined by CVE: the CISA KEV catalog and FIRST EPSS scores.
 *
 * <p>The readers quarantine a bad record with its JSON pointer or line and read the rest. CVE ids
 * are matched case-insensitively. Immutable and thread-safe once built.
 */
public final class ThreatIntel {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private final Map<String, KevEntry> kev;
  private final Map<String, EpssScore> epss;

  private ThreatIntel(Map<String, KevEntry> kev, Map<String, EpssScore> epss) {
    this.kev = kev;
    this.epss = epss;
  }

  /** Nothing known: no CVE is in KEV, none has an EPSS score. */
  public static ThreatIntel none() {
    return new ThreatIntel(Map.of(), Map.of());
  }

  /** Joins KEV entries and EPSS scores by CVE; a later entry for the same CVE wins. */
  public static ThreatIntel of(List<KevEntry> kev, List<EpssScore> epss) {
    Map<String, KevEntry> k = new HashMap<>();
    kev.forEach(e -> k.put(key(e.cve()), e));
    Map<String, EpssScore> s = new HashMap<>();
    epss.forEach(e -> s.put(key(e.cve()), e));
    return new ThreatIntel(Map.copyOf(k), Map.copyOf(s));
  }

  /** The KEV entry of a CVE, if it is in the catalog. */
  public Optional<KevEntry> kev(String cve) {
    return Optional.ofNullable(kev.get(key(cve)));
  }

  /** The EPSS score of a CVE, if it has one. */
  public Optional<EpssScore> epss(String cve) {
    return Optional.ofNullable(epss.get(key(cve)));
  }

  private static String key(String cve) {
    return cve.strip().toUpperCase(Locale.ROOT);
  }

  /** Reads the KEV catalog in its JSON form ({@code known_exploited_vulnerabilities.json}). */
  public static ReadBatch<KevEntry> readKev(InputStream in, String source) {
    Objects.requireNonNull(in, "in");
    ReadBatch.Collector<KevEntry> batch = ReadBatch.collector();
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      batch.quarantine(
          Quarantined.of(
              source,
              loc == null ? "?" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr(),
              "not valid JSON: " + e.getOriginalMessage()));
      return batch.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode list = root == null ? null : root.get("vulnerabilities");
    if (list == null || !list.isArray()) {
      batch.quarantine(
          Quarantined.of(
              source, "/vulnerabilities", "a KEV catalog needs a vulnerabilities array"));
      return batch.build();
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      String at = "/vulnerabilities/" + i;
      try {
        batch.accept(
            KevEntry.builder()
                .cve(field(v, "cveID", at))
                .vendorProject(v.path("vendorProject").asText(""))
                .product(v.path("product").asText(""))
                .dateAdded(LocalDate.parse(field(v, "dateAdded", at)))
                .dueDate(LocalDate.parse(field(v, "dueDate", at)))
                .knownRansomwareUse(
                    v.path("knownRansomwareCampaignUse").asText("").equalsIgnoreCase("Known"))
                .build());
      } catch (IllegalArgumentException | IllegalStateException | DateTimeParseException e) {
        batch.quarantine(Quarantined.of(source, at, String.valueOf(e.getMessage())));
      }
    }
    return batch.build();
  }

  private static String field(JsonNode node, String name, String at) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("missing string field '" + name + "' at " + at);
    }
    return v.asText();
  }

  /**
   * Reads EPSS scores as FIRST publishes them: an optional {@code
   * #model_version:...,score_date:...} comment, a {@code cve,epss,percentile} header, then one CVE
   * per line.
   */
  public static ReadBatch<EpssScore> readEpss(InputStream in, String source) {
    Objects.requireNonNull(in, "in");
    ReadBatch.Collector<EpssScore> batch = ReadBatch.collector();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      Optional<LocalDate> date = Optional.empty();
      boolean header = false;
      while ((line = r.readLine()) != null) {
        number++;
        String l = line.strip();
        if (l.isEmpty()) {
          continue;
        }
        if (l.startsWith("#")) {
          int d = l.indexOf("score_date:");
          if (d >= 0) {
            String value = l.substring(d + "score_date:".length()).split(",")[0].strip();
            try {
              date =
                  Optional.of(
                      OffsetDateTime.parse(
                              value, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ"))
                          .toLocalDate());
            } catch (DateTimeParseException e) {
              batch.quarantine(
                  Quarantined.of(source, "line " + number, "score_date is not a date: " + value));
            }
          }
          continue;
        }
        if (!header) {
          if (!l.equalsIgnoreCase("cve,epss,percentile")) {
            batch.quarantine(
                Quarantined.of(
                    source,
                    "line " + number,
                    "expected the header cve,epss,percentile: '" + l + "'"));
            return batch.build();
          }
          header = true;
          continue;
        }
        String[] f = l.split(",");
        try {
          if (f.length != 3) {
            throw new IllegalArgumentException("expected cve,epss,percentile: '" + l + "'");
          }
          batch.accept(
              EpssScore.builder()
                  .cve(f[0].strip())
                  .probability(Double.parseDouble(f[1]))
                  .percentile(Double.parseDouble(f[2]))
                  .scoreDate(date)
                  .build());
        } catch (IllegalArgumentException | IllegalStateException e) {
          batch.quarantine(
              Quarantined.of(source, "line " + number, String.valueOf(e.getMessage())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return batch.build();
  }
}
