package org.cloudpatch.core.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.spi.JournalEntry;

/**
 * Rules that an engine must keep, checked against a {@link SimulatedCloud}'s ground truth rather
 * than against the engine's own journal: for model-based and end-to-end tests. Each check returns
 * the violations it found, one readable sentence each, in time order; an empty list means the rule
 * held.
 */
public final class GroundTruthChecks {
  private GroundTruthChecks() {}

  /** What a VM must have installed to be released: the baseline in force at an instant. */
  @FunctionalInterface
  public interface Baseline {
    /**
     * Whether a VM with these packages (binary package name to version) is compliant at {@code at}.
     */
    boolean compliant(AssetId vm, Instant at, Map<String, String> installed);
  }

  /** Never two patch jobs on one VM at once: a job starts only after the VM's last one finished. */
  public static List<String> twoJobsOnOneVm(List<TruthEvent> truth) {
    Map<AssetId, String> runningJob = new HashMap<>();
    List<String> violations = new ArrayList<>();
    for (TruthEvent e : truth) {
      if (e.vm().isEmpty() || e.job().isEmpty()) {
        continue;
      }
      AssetId vm = e.vm().get();
      String job = e.job().get();
      if (e.event() == TruthEvent.Kind.JOB_STARTED) {
        String earlier = runningJob.put(vm, job);
        if (earlier != null) {
          violations.add(
              e.at() + ": job " + job + " started on " + vm + " while job " + earlier + " ran");
        }
      } else if (e.event() == TruthEvent.Kind.JOB_FINISHED && job.equals(runningJob.get(vm))) {
        runningJob.remove(vm);
      }
    }
    return violations;
  }

  /**
   * Never a VM released to its users while it is not compliant with the baseline at that instant
   * (judged by what the truth says it had installed when released).
   */
  public static List<String> releasedWhileNotCompliant(List<TruthEvent> truth, Baseline baseline) {
    Objects.requireNonNull(baseline, "baseline");
    List<String> violations = new ArrayList<>();
    for (TruthEvent e : truth) {
      if (e.event() != TruthEvent.Kind.RELEASED || e.vm().isEmpty()) {
        continue;
      }
      Map<String, String> installed = e.installed().orElse(Map.of());
      if (!baseline.compliant(e.vm().get(), e.at(), installed)) {
        violations.add(
            e.at() + ": " + e.vm().get() + " released while not compliant: " + installed);
      }
    }
    return violations;
  }

  /**
   * Every hold a journal claims is a real hold: for each journal entry of {@code heldType} (its
   * {@code data.vm} naming the VM), the truth shows the VM held at the entry's instant, counting
   * every truth event up to and including that instant (an engine that journals a hold before
   * making it, in the same tick, and one that journals it after confirming it both pass; a hold
   * that never happened does not).
   *
   * @param heldType the journal type that claims a hold, e.g. {@code catchup.held}
   */
  public static List<String> journalHoldsWithoutRealHold(
      List<TruthEvent> truth, List<JournalEntry> journal, String heldType) {
    // Each VM's hold changes, in time order, so that each claim looks at its own VM only.
    Map<AssetId, List<TruthEvent>> holdChanges = new HashMap<>();
    for (TruthEvent e : truth) {
      if ((e.event() == TruthEvent.Kind.HELD || e.event() == TruthEvent.Kind.RELEASED)
          && e.vm().isPresent()) {
        holdChanges.computeIfAbsent(e.vm().get(), v -> new ArrayList<>()).add(e);
      }
    }
    List<String> violations = new ArrayList<>();
    for (JournalEntry entry : journal) {
      if (!entry.type().equals(heldType)) {
        continue;
      }
      JsonNode vm = entry.data().get("vm");
      if (vm == null || !vm.isTextual()) {
        violations.add("seq " + entry.seq() + ": " + heldType + " names no VM (data.vm)");
        continue;
      }
      AssetId id = AssetId.of(vm.asText());
      if (!heldAt(holdChanges.getOrDefault(id, List.of()), id, entry.at())) {
        violations.add(
            "seq "
                + entry.seq()
                + " at "
                + entry.at()
                + ": the journal says "
                + id
                + " is held, the cloud never held it then");
      }
    }
    return violations;
  }

  /** Whether the truth shows the VM held at the instant (every event up to and including it). */
  public static boolean heldAt(List<TruthEvent> truth, AssetId vm, Instant at) {
    boolean held = false;
    for (TruthEvent e : truth) {
      if (e.at().isAfter(at)) {
        break;
      }
      if (e.vm().isPresent() && e.vm().get().equals(vm)) {
        if (e.event() == TruthEvent.Kind.HELD) {
          held = true;
        } else if (e.event() == TruthEvent.Kind.RELEASED) {
          held = false;
        }
      }
    }
    return held;
  }

  /** The truth is in time order: no event before the one written ahead of it. */
  public static List<String> outOfTimeOrder(List<TruthEvent> truth) {
    List<String> violations = new ArrayList<>();
    for (int i = 1; i < truth.size(); i++) {
      if (truth.get(i).at().isBefore(truth.get(i - 1).at())) {
        violations.add(
            "event "
                + i
                + " ("
                + truth.get(i).event().wireName()
                + " at "
                + truth.get(i).at()
                + ") comes after one at "
                + truth.get(i - 1).at());
      }
    }
    return violations;
  }
}
