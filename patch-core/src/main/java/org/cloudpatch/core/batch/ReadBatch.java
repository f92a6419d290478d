package org.cloudpatch.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What one read of a batch produced: the accepted records in input order, the quarantined ones with
 * their reasons, and warnings about the batch as a whole.
 *
 * <p>A warning is said once per batch, not once per record: that the versions of an {@code rpm -qa}
 * listing have no epochs, for one, with how many and how to get them.
 *
 * @param <T> the record type
 */
public final class ReadBatch<T> {
  private final List<T> accepted;
  private final List<Quarantined> quarantined;
  private final List<String> warnings;

  private ReadBatch(List<T> accepted, List<Quarantined> quarantined, List<String> warnings) {
    this.accepted = Collections.unmodifiableList(accepted);
    this.quarantined = Collections.unmodifiableList(quarantined);
    this.warnings = Collections.unmodifiableList(warnings);
  }

  /** The accepted records, in input order; unmodifiable. */
  public List<T> accepted() {
    return accepted;
  }

  /** The rejected records with their reasons, in input order; unmodifiable. */
  public List<Quarantined> quarantined() {
    return quarantined;
  }

  /**
   * Warnings about the accepted records as a whole, one sentence each, in the order they were
   * given; unmodifiable. Each is said once per batch, not once per record.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** A new collector for a batch. Not thread-safe. */
  public static <T> Collector<T> collector() {
    return new Collector<>();
  }

  /** Accumulates a batch as it is read. */
  public static final class Collector<T> {
    private final List<T> accepted = new ArrayList<>();
    private final List<Quarantined> quarantined = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private Collector() {}

    /** Accepts a record. */
    public Collector<T> accept(T record) {
      accepted.add(Objects.requireNonNull(record, "record"));
      return this;
    }

    /** Quarantines a record. */
    public Collector<T> quarantine(Quarantined rejected) {
      quarantined.add(Objects.requireNonNull(rejected, "rejected"));
      return this;
    }

    /** Adds a warning about the batch as a whole. */
    public Collector<T> warn(String warning) {
      warnings.add(Objects.requireNonNull(warning, "warning"));
      return this;
    }

    /** Adds everything of another batch, its warnings too. */
    public Collector<T> addAll(ReadBatch<? extends T> other) {
      accepted.addAll(other.accepted());
      quarantined.addAll(other.quarantined());
      warnings.addAll(other.warnings());
      return this;
    }

    /** The batch so far. */
    public ReadBatch<T> build() {
      return new ReadBatch<>(
          new ArrayList<>(accepted), new ArrayList<>(quarantined), new ArrayList<>(warnings));
    }
  }
}
