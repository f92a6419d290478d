package org.cloudpatch.core.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudpatch.core.ChangeId;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.spi.ChangeSystem;

/**
 * A change system in memory with the usual rules: standard changes are pre-approved, emergency
 * changes are approved at once, normal changes wait for the change board for a fixed delay (or
 * until {@link #decide} is called). Thread-safe.
 */
public final class InMemoryChangeSystem implements ChangeSystem {
  private final Clock clock;
  private final Duration boardDelay;
  private final Map<ChangeId, Change> changes = new LinkedHashMap<>();
  private final Map<String, ChangeId> byKey = new LinkedHashMap<>();

  /** A change as this system holds it. */
  public record Change(
      ChangeId id,
      ChangeRequest request,
      Instant opened,
      ChangeRequest.Approval approval,
      List<String> implementation,
      boolean closed,
      boolean successful) {}

  private InMemoryChangeSystem(Clock clock, Duration boardDelay) {
    this.clock = clock;
    this.boardDelay = boardDelay;
  }

  /** A change system whose board decides normal changes after {@code boardDelay}. */
  public static InMemoryChangeSystem create(Clock clock, Duration boardDelay) {
    return new InMemoryChangeSystem(
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(boardDelay, "boardDelay"));
  }

  @Override
  public synchronized ChangeId open(ChangeRequest request) {
    Objects.requireNonNull(request, "request");
    ChangeId existing = byKey.get(request.key());
    if (existing != null) {
      return existing;
    }
    ChangeId id = ChangeId.of(String.format("CR%07d", changes.size() + 1));
    ChangeRequest.Approval approval =
        request.type() == ChangeRequest.ChangeType.NORMAL
            ? ChangeRequest.Approval.PENDING
            : ChangeRequest.Approval.APPROVED;
    changes.put(id, new Change(id, request, clock.instant(), approval, List.of(), false, false));
    byKey.put(request.key(), id);
    return id;
  }

  @Override
  public synchronized ChangeRequest.Approval approval(ChangeId change) {
    Change c = get(change);
    if (c.approval() == ChangeRequest.Approval.PENDING
        && !clock.instant().isBefore(c.opened().plus(boardDelay))) {
      c = decide(change, ChangeRequest.Approval.APPROVED);
    }
    return c.approval();
  }

  /** The board's decision on a pending change. */
  public synchronized Change decide(ChangeId change, ChangeRequest.Approval approval) {
    Change c = get(change);
    Change decided =
        new Change(
            c.id(),
            c.request(),
            c.opened(),
            approval,
            c.implementation(),
            c.closed(),
            c.successful());
    changes.put(change, decided);
    return decided;
  }

  @Override
  public synchronized void recordImplementation(ChangeId change, String summary) {
    Change c = get(change);
    List<String> notes = new ArrayList<>(c.implementation());
    notes.add(summary);
    changes.put(
        change,
        new Change(
            c.id(),
            c.request(),
            c.opened(),
            c.approval(),
            List.copyOf(notes),
            c.closed(),
            c.successful()));
  }

  @Override
  public synchronized void close(ChangeId change, boolean successful, String summary) {
    Change c = get(change);
    if (c.closed()) {
      return;
    }
    changes.put(
        change,
        new Change(
            c.id(), c.request(), c.opened(), c.approval(), c.implementation(), true, successful));
  }

  /** Every change, in the order opened. */
  public synchronized List<Change> changes() {
    return List.copyOf(changes.values());
  }

  private Change get(ChangeId id) {
    Change c = changes.get(Objects.requireNonNull(id, "change"));
    if (c == null) {
      throw new IllegalArgumentException("no change " + id);
    }
    return c;
  }
}
