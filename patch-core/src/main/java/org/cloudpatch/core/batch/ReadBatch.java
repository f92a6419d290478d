package org.cloudpatch.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What one read of a batch produced: the accepted records in input order, and the quarantined ones
 * with their reasons.
 *
 * @param <T> the record type
 */
public final class ReadBatch<T> {
  private final List<T> accepted;
  private final List<Quarantined> quarantined;

  private ReadBatch(List<T> accepted, List<Quarantined> quarantined) {
    this.accepted = Collections.unmodifiableList(accepted);
    this.quarantined = Collections.unmodifiableList(quarantined);
  }

  /** The accepted records, in input order; unmodifiable. */
  public List<T> accepted() {
    return accepted;
  }

  /** The rejected records with their reasons, in input order; unmodifiable. */
  public List<Quarantined> quarantined() {
    return quarantined;
  }

  /** A new collector for a batch. Not thread-safe. */
  public static <T> Collector<T> collector() {
    return new Collector<>();
  }

  /** Accumulates a batch as it is read. */
  public static final class Collector<T> {
    private final List<T> accepted = new ArrayList<>();
    private final List<Quarantined> quarantined = new ArrayList<>();

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

    /** Adds everything of another batch. */
    public Collector<T> addAll(ReadBatch<? extends T> other) {
      accepted.addAll(other.accepted());
      quarantined.addAll(other.quarantined());
      return this;
    }

    /** The batch so far. */
    public ReadBatch<T> build() {
      return new ReadBatch<>(new ArrayList<>(accepted), new ArrayList<>(quarantined));
    }
  }
}
