package org.cloudpatch.scheduling.host;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudpatch.scheduling.host.Cluster.ClusterVm;

/**
 * The search behind {@link EvacuationPlanner}, on arrays indexed by host and VM.
 *
 * <p>Draining one host at a time is decided exactly: a depth-first search over which host to drain
 * next and where each of its VMs goes, remembering the states it has proved dead, so that it finds
 * an order whenever one exists and proves there is none otherwise (within its step budget). The
 * heuristics only order the choices: hosts with the least to move first, each VM largest first, to
 * a host already patched (so it never has to move again) before one still to be drained, and the
 * tightest fit first. Moves only add load to the hosts that receive VMs, so a host's evacuation is
 * valid exactly when the state after all its migrations is.
 */
final class EvacuationSearch {
  /** Thrown when the step budget runs out; the plan is then undecided. */
  static final class BudgetExhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExhausted() {
      super("search budget exhausted", null, false, false);
    }
  }

  /** One host drained: the VMs that leave it and where to. */
  record Step(int host, List<int[]> moves) {}

  final int hostCount;
  final int vmCount;
  private final int[] capCpu;
  private final int[] capMem;
  final int[] limitCpu;
  final int[] limitMem;
  final int[] cpu;
  final int[] mem;
  private final int[] group;
  final boolean[] movable;
  private final boolean[] toDrain;
  private final long budget;

  // The state: where each VM is, what each host holds, which hosts are drained or draining.
  final int[] place;
  final int[] usedCpu;
  final int[] usedMem;
  private final int[] movableLoad;
  private final Map<Long, Integer> groupCount = new HashMap<>();
  final boolean[] drained;
  final boolean[] inMaintenance;

  private final Set<StateKey> dead = new HashSet<>();
  private long steps;

  EvacuationSearch(
      int[] capCpu,
      int[] capMem,
      int headroomPercent,
      List<ClusterVm> vms,
      int[] initialPlace,
      boolean[] toDrain,
      long budget) {
    this.hostCount = capCpu.length;
    this.vmCount = vms.size();
    this.capCpu = capCpu.clone();
    this.capMem = capMem.clone();
    this.limitCpu = new int[hostCount];
    this.limitMem = new int[hostCount];
    for (int h = 0; h < hostCount; h++) {
      // Integer arithmetic: a host keeps at least the headroom, rounded in its favour.
      limitCpu[h] = (int) ((long) capCpu[h] * (100 - headroomPercent) / 100);
      limitMem[h] = (int) ((long) capMem[h] * (100 - headroomPercent) / 100);
    }
    this.cpu = new int[vmCount];
    this.mem = new int[vmCount];
    this.group = new int[vmCount];
    this.movable = new boolean[vmCount];
    Map<String, Integer> groupIds = new HashMap<>();
    for (int v = 0; v < vmCount; v++) {
      ClusterVm vm = vms.get(v);
      cpu[v] = vm.cpu();
      mem[v] = vm.memGiB();
      movable[v] = vm.mobility() == Cluster.Mobility.MOVABLE;
      group[v] =
          vm.antiAffinityGroup()
              .map(g -> groupIds.computeIfAbsent(g, k -> groupIds.size()))
              .orElse(-1);
    }
    this.place = initialPlace.clone();
    this.usedCpu = new int[hostCount];
    this.usedMem = new int[hostCount];
    this.movableLoad = new int[hostCount];
    for (int v = 0; v < vmCount; v++) {
      add(v, place[v]);
    }
    this.toDrain = toDrain.clone();
    this.drained = new boolean[hostCount];
    this.inMaintenance = new boolean[hostCount];
    this.budget = budget;
  }

  // ---- the state ----------------------------------------------------------------------------

  private void add(int v, int h) {
    usedCpu[h] += cpu[v];
    usedMem[h] += mem[v];
    if (movable[v]) {
      movableLoad[h] += cpu[v] + mem[v];
    }
    if (group[v] >= 0) {
      groupCount.merge(key(h, group[v]), 1, Integer::sum);
    }
  }

  private void remove(int v, int h) {
    usedCpu[h] -= cpu[v];
    usedMem[h] -= mem[v];
    if (movable[v]) {
      movableLoad[h] -= cpu[v] + mem[v];
    }
    if (group[v] >= 0) {
      groupCount.merge(key(h, group[v]), -1, Integer::sum);
    }
  }

  private static long key(int host, int group) {
    return ((long) host << 32) | group;
  }

  void move(int v, int to) {
    remove(v, place[v]);
    add(v, to);
    place[v] = to;
  }

  /** Whether VM {@code v} may move to host {@code t} now. */
  boolean fits(int v, int t) {
    return !inMaintenance[t]
        && place[v] != t
        && usedCpu[t] + cpu[v] <= limitCpu[t]
        && usedMem[t] + mem[v] <= limitMem[t]
        && (group[v] < 0 || groupCount.getOrDefault(key(t, group[v]), 0) == 0);
  }

  /**
   * Which constraint keeps VM {@code v} off host {@code t} now: {@code capacity}, {@code headroom},
   * {@code anti-affinity} or {@code maintenance}, or null if it fits.
   */
  @org.jspecify.annotations.Nullable
  String misfit(int v, int t) {
    if (inMaintenance[t]) {
      return "maintenance";
    }
    if (usedCpu[t] + cpu[v] > capCpu[t] || usedMem[t] + mem[v] > capMem[t]) {
      return "capacity";
    }
    if (usedCpu[t] + cpu[v] > limitCpu[t] || usedMem[t] + mem[v] > limitMem[t]) {
      return "headroom";
    }
    if (group[v] >= 0 && groupCount.getOrDefault(key(t, group[v]), 0) > 0) {
      return "anti-affinity";
    }
    return null;
  }

  /** Whether host {@code h} is to be drained. */
  boolean toDrain(int h) {
    return toDrain[h];
  }

  /** The movable VMs on host {@code h} now, largest first. */
  int[] movableOn(int h) {
    int n = 0;
    int[] out = new int[vmCount];
    for (int v = 0; v < vmCount; v++) {
      if (place[v] == h && movable[v]) {
        out[n++] = v;
      }
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = out[i];
    }
    Arrays.sort(
        boxed,
        (a, b) -> {
          int c = Integer.compare(cpu[b] + mem[b], cpu[a] + mem[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    int[] sorted = new int[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = boxed[i];
    }
    return sorted;
  }

  /** The hosts still to drain, in the order to try them: least to move first, then by index. */
  List<Integer> pending() {
    List<Integer> out = new ArrayList<>();
    for (int h = 0; h < hostCount; h++) {
      if (toDrain[h] && !drained[h]) {
        out.add(h);
      }
    }
    out.sort(
        (a, b) ->
            movableLoad[a] != movableLoad[b]
                ? Integer.compare(movableLoad[a], movableLoad[b])
                : Integer.compare(a, b));
    return out;
  }

  /**
   * Where VM {@code v} may go, best first: hosts already drained (it will not move again), then the
   * tightest fit.
   */
  int[] targets(int v) {
    int n = 0;
    int[] out = new int[hostCount];
    for (int t = 0; t < hostCount; t++) {
      if (fits(v, t)) {
        out[n++] = t;
      }
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = out[i];
    }
    Arrays.sort(boxed, (a, b) -> compareTargets(v, a, b));
    int[] sorted = new int[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = boxed[i];
    }
    return sorted;
  }

  /** The best target of {@code v} in one scan, or -1: what {@link #targets} would list first. */
  int bestTarget(int v) {
    int best = -1;
    for (int t = 0; t < hostCount; t++) {
      if (fits(v, t) && (best < 0 || compareTargets(v, t, best) < 0)) {
        best = t;
      }
    }
    return best;
  }

  private int compareTargets(int v, int a, int b) {
    boolean settledA = drained[a] || !toDrain[a];
    boolean settledB = drained[b] || !toDrain[b];
    if (settledA != settledB) {
      return settledA ? -1 : 1;
    }
    int slackA = (limitCpu[a] - usedCpu[a] - cpu[v]) + (limitMem[a] - usedMem[a] - mem[v]);
    int slackB = (limitCpu[b] - usedCpu[b] - cpu[v]) + (limitMem[b] - usedMem[b] - mem[v]);
    return slackA != slackB ? Integer.compare(slackA, slackB) : Integer.compare(a, b);
  }

  // ---- draining one host at a time, exactly --------------------------------------------------

  /**
   * Finds an order that drains every pending host one at a time from the current state, or returns
   * null when none exists. The state is the same afterwards. The budget counts the steps of this
   * call; dead states are remembered across calls (they depend on the state alone).
   *
   * @throws BudgetExhausted when the budget runs out first
   */
  @org.jspecify.annotations.Nullable
  List<Step> solveSequentially() {
    steps = 0;
    Deque<Step> out = new ArrayDeque<>();
    return solve(out) ? new ArrayList<>(out) : null;
  }

  private boolean solve(Deque<Step> out) {
    List<Integer> pending = pending();
    if (pending.isEmpty()) {
      return true;
    }
    tick();
    StateKey key = dead.isEmpty() ? null : new StateKey(drained, place);
    if (key != null && dead.contains(key)) {
      return false;
    }
    for (int h : pending) {
      inMaintenance[h] = true;
      boolean ok = assign(h, movableOn(h), out);
      inMaintenance[h] = false;
      if (ok) {
        return true;
      }
    }
    dead.add(key != null ? key : new StateKey(drained, place));
    return false;
  }

  /**
   * Tries every placement of {@code vms} (all on host {@code h}, which is in maintenance) and, for
   * each, whether the rest can be drained. Iterative over the VMs, so that the stack grows with the
   * number of hosts only. The state is the same afterwards.
   */
  private boolean assign(int h, int[] vms, Deque<Step> out) {
    int n = vms.length;
    int[][] candidates = new int[n][];
    boolean[] expanded = new boolean[n];
    int[] next = new int[n];
    List<int[]> moves = new ArrayList<>();
    int i = 0;
    while (true) {
      if (i == n) {
        drained[h] = true;
        inMaintenance[h] = false;
        boolean ok = solve(out);
        drained[h] = false;
        inMaintenance[h] = true;
        if (ok) {
          out.addFirst(new Step(h, List.copyOf(moves)));
          for (int j = moves.size() - 1; j >= 0; j--) {
            move(moves.get(j)[0], h);
          }
          return true;
        }
        if (--i < 0) {
          return false;
        }
        move(vms[i], h);
        moves.remove(moves.size() - 1);
        continue;
      }
      tick();
      int v = vms[i];
      if (candidates[i] == null) {
        // The best target alone first; the full, sorted list only if that one leads nowhere.
        int best = bestTarget(v);
        candidates[i] = best < 0 ? new int[0] : new int[] {best};
        expanded[i] = best < 0;
        next[i] = 0;
      }
      if (next[i] == candidates[i].length && !expanded[i]) {
        candidates[i] = allTargetsBestFirst(v, candidates[i][0]);
        expanded[i] = true;
      }
      if (next[i] < candidates[i].length) {
        int t = candidates[i][next[i]++];
        move(v, t);
        moves.add(new int[] {v, h, t});
        if (++i < n) {
          candidates[i] = null;
        }
      } else {
        candidates[i] = null;
        if (--i < 0) {
          return false;
        }
        move(vms[i], h);
        moves.remove(moves.size() - 1);
      }
    }
  }

  /** {@code first}, then every other target of {@code v} in {@link #targets} order. */
  private int[] allTargetsBestFirst(int v, int first) {
    int[] all = targets(v);
    int[] out = new int[all.length];
    out[0] = first;
    int n = 1;
    for (int t : all) {
      if (t != first && n < out.length) {
        out[n++] = t;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private void tick() {
    if (++steps > budget) {
      throw new BudgetExhausted();
    }
  }

  /** Applies a step to the state: its host's VMs move and it counts as drained. */
  void apply(Step step) {
    for (int[] m : step.moves()) {
      move(m[0], m[2]);
    }
    drained[step.host()] = true;
  }

  /**
   * Drains {@code h} together with the hosts already in maintenance, greedily (best target for each
   * VM, no host in maintenance as a target): the moves, or null (and the state unchanged) when some
   * VM fits nowhere.
   */
  @org.jspecify.annotations.Nullable
  List<int[]> drainGreedily(int h) {
    inMaintenance[h] = true;
    List<int[]> moves = new ArrayList<>();
    for (int v : movableOn(h)) {
      int t = bestTarget(v);
      if (t < 0) {
        for (int j = moves.size() - 1; j >= 0; j--) {
          move(moves.get(j)[0], h);
        }
        inMaintenance[h] = false;
        return null;
      }
      move(v, t);
      moves.add(new int[] {v, h, t});
    }
    return moves;
  }

  /** Undoes {@link #drainGreedily}. */
  void undrain(int h, List<int[]> moves) {
    for (int j = moves.size() - 1; j >= 0; j--) {
      move(moves.get(j)[0], h);
    }
    inMaintenance[h] = false;
  }

  /** A state the search has visited: which hosts are drained and where every VM is. */
  private static final class StateKey {
    private final boolean[] drained;
    private final int[] place;
    private final int hash;

    StateKey(boolean[] drained, int[] place) {
      this.drained = drained.clone();
      this.place = place.clone();
      this.hash = 31 * Arrays.hashCode(this.drained) + Arrays.hashCode(this.place);
    }

    @Override
    public boolean equals(@org.jspecify.annotations.Nullable Object o) {
      return o instanceof StateKey k
          && Arrays.equals(drained, k.drained)
          && Arrays.equals(place, k.place);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
