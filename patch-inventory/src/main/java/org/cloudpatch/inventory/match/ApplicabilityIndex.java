package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.finding.Finding;
import org.jspecify.annotations.Nullable;

/**
 * The findings of a fleet against a set of advisories, kept current as either changes: the
 * incremental form of {@link OsvApplicability}, for hosts that hold thousands of inventories and
 * tens of thousands of advisories and must know within milliseconds what a new advisory or a
 * changed VM means.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>The same answers as {@link OsvApplicability}.</b> {@link #findings(AdvisoryId)} holds
 *       exactly the findings of {@code OsvApplicability.assess(advisory, fleet)} over the
 *       inventories held, and {@link #findings(AssetId)} those of every advisory held on that
 *       asset's inventory; only the order differs, as each method states.
 *   <li><b>Deduplicated.</b> Installed packages are held as distinct rows — (platform, binary
 *       package, source package, source version) — and assets as the difference from a
 *       <em>baseline</em>: the package set of the first asset of an image, which later assets
 *       cloned from it share, each holding only the rows it adds and the rows it lacks. Thousands
 *       of VMs from a few images thus cost little more than the images (a few bytes per VM and
 *       package; a VM whose package values are the very objects of its image's costs one reference
 *       comparison per package to put). A verdict is decided once per (advisory, platform, source
 *       package, source version) and serves every asset holding it.
 *   <li><b>Incremental.</b> Putting an advisory decides verdicts only for the held versions of the
 *       packages it names; putting an inventory decides verdicts only for versions no asset held
 *       before, against only the advisories that name those packages. Each update returns the
 *       number of verdicts it decided, the measure of its work.
 *   <li>A withdrawn advisory is removed: it matches nothing. An advisory put again under the same
 *       id replaces the earlier version.
 *   <li>Versions that no asset holds any longer keep their rows and verdicts, so a VM reverted to
 *       an old snapshot costs nothing to reassess. Memory grows with the distinct package versions
 *       ever seen, which a distribution's release history bounds, not with the churn of assets.
 * </ul>
 *
 * <p>Thread-safe: updates are serialised; queries run concurrently with each other but not with an
 * update. Holds no reference to the inventories put, only to installed-package values: those each
 * row was first seen as, each baseline's, and the last seen at each place of a baseline.
 */
public final class ApplicabilityIndex {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Per platform: its rows by the installed package they were first seen as, and its tuples. */
  private final Map<Platform, PlatformRows> platforms = new HashMap<>();

  /** Per package name: every tuple of that source name on any platform, and who names it. */
  private final Map<String, Named> names = new HashMap<>();

  private final Map<AdvisoryId, AdvisoryEntry> advisories = new HashMap<>();
  private final Map<AssetId, AssetEntry> assets = new HashMap<>();
  private int nextAdvisorySlot;
  private int nextAssetSlot;
  private int tupleCount;
  private int decidedSoFar;

  /** Every row by its id, and a scratch mark per row for set operations during one put. */
  private final List<Row> rowsById = new ArrayList<>();

  private int[] marks = new int[1024];
  private int stamp;

  /** Packages sampled to find the baseline an inventory is closest to. */
  private static final int SAMPLES = 16;

  /**
   * An asset joins a baseline when its rows added and lacked number at most this many, or one in
   * {@value #DRIFT_DIVISOR} of its packages; otherwise it becomes a baseline of its own.
   */
  private final int minDrift;

  private static final int DRIFT_DIVISOR = 8;

  /**
   * Beyond this many baselines on one platform, an asset close to none is held as rows of its own
   * (against an empty baseline), so that finding the closest stays cheap in fleets without images.
   */
  private final int maxBaselines;

  /** With the thresholds that decide when an asset becomes a baseline; tests vary them. */
  ApplicabilityIndex(int minDrift, int maxBaselines) {
    this.minDrift = minDrift;
    this.maxBaselines = maxBaselines;
  }

  /** An empty index. */
  public static ApplicabilityIndex create() {
    return new ApplicabilityIndex(16, 256);
  }

  /**
   * Adds an advisory, or replaces the one held under its id; a withdrawn advisory is removed.
   *
   * @return how many verdicts were decided: one per held version of each package the advisory names
   *     on a platform it covers — independent of how many assets hold those versions
   */
  public int put(Advisory advisory) {
    Objects.requireNonNull(advisory, "advisory");
    if (advisory.withdrawn().isPresent()) {
      remove(advisory.id());
      return 0;
    }
    Lock write = lock.writeLock();
    write.lock();
    try {
      AdvisoryEntry previous = advisories.remove(advisory.id());
      int slot = previous == null ? nextAdvisorySlot++ : previous.slot;
      if (previous != null) {
        detach(previous);
      }
      AdvisoryEntry entry = new AdvisoryEntry(slot, new OsvApplicability.Session(advisory));
      advisories.put(advisory.id(), entry);
      int decided = 0;
      for (String name : entry.names) {
        Named named = names.computeIfAbsent(name, n -> new Named());
        named.advisories.add(entry);
        for (Tuple tuple : named.tuples) {
          decided += decide(entry, tuple);
        }
      }
      return decided;
    } finally {
      write.unlock();
    }
  }

  /**
   * Removes an advisory (withdrawn, or no longer of interest); its findings go with it.
   *
   * @return whether it was held
   */
  public boolean remove(AdvisoryId advisory) {
    Objects.requireNonNull(advisory, "advisory");
    Lock write = lock.writeLock();
    write.lock();
    try {
      AdvisoryEntry entry = advisories.remove(advisory);
      if (entry == null) {
        return false;
      }
      detach(entry);
      return true;
    } finally {
      write.unlock();
    }
  }

  /**
   * Adds an asset's inventory, or replaces the one held for that asset.
   *
   * @return how many verdicts were decided: one per advisory naming each package version that no
   *     asset held before; zero when the inventory holds only versions seen before
   */
  public int put(Inventory inventory) {
    Objects.requireNonNull(inventory, "inventory");
    Lock write = lock.writeLock();
    write.lock();
    try {
      PlatformRows rowsOf =
          platforms.computeIfAbsent(inventory.platform(), p -> new PlatformRows(p));
      int before = decidedSoFar;
      AssetEntry previous = assets.get(inventory.asset());
      if (previous != null) {
        previous.leave();
      }
      AssetEntry entry =
          previous != null ? previous : new AssetEntry(nextAssetSlot++, inventory.asset());
      assets.put(inventory.asset(), entry);
      join(rowsOf, entry, inventory.packages());
      return decidedSoFar - before;
    } finally {
      write.unlock();
    }
  }

  /**
   * Removes an asset (decommissioned); its findings go with it.
   *
   * @return whether it was held
   */
  public boolean remove(AssetId asset) {
    Objects.requireNonNull(asset, "asset");
    Lock write = lock.writeLock();
    write.lock();
    try {
      AssetEntry entry = assets.remove(asset);
      if (entry == null) {
        return false;
      }
      entry.leave();
      return true;
    } finally {
      write.unlock();
    }
  }

  /**
   * The findings of one advisory on every asset held, ordered by asset (in the order the assets
   * were first put), then package name and installed version; empty for an advisory not held.
   */
  public List<Finding> findings(AdvisoryId advisory) {
    Objects.requireNonNull(advisory, "advisory");
    Lock read = lock.readLock();
    read.lock();
    try {
      AdvisoryEntry entry = advisories.get(advisory);
      if (entry == null) {
        return List.of();
      }
      List<Placed> placed = new ArrayList<>();
      for (Tuple tuple : entry.tuples) {
        Verdict verdict = Objects.requireNonNull(tuple.verdictOf(entry));
        forEachHolding(
            tuple,
            (asset, binaries) ->
                placed.add(
                    new Placed(
                        asset.slot,
                        verdict.finding(
                            asset.id, entry.advisoryId, tuple.name, binaries, tuple.version))));
      }
      placed.sort(Placed.ORDER);
      return placed.stream().map(Placed::finding).toList();
    } finally {
      read.unlock();
    }
  }

  /**
   * Calls back once per asset holding any binary of the tuple, with those binaries sorted. Members
   * of a baseline that neither lack nor add any of them — nearly all — share one list, so the cost
   * is a check per member, not a set per member.
   */
  private static void forEachHolding(Tuple tuple, BiConsumer<AssetEntry, List<String>> action) {
    Map<Baseline, List<Row>> byBaseline = new LinkedHashMap<>();
    for (Row row : tuple.rows) {
      for (Baseline baseline : row.baselines) {
        byBaseline.computeIfAbsent(baseline, b -> new ArrayList<>(2)).add(row);
      }
    }
    byBaseline.forEach(
        (baseline, rows) -> {
          List<String> shared = binaries(rows);
          baseline.members.forEach(
              member -> {
                if (member.touchesNone(tuple)) {
                  action.accept(member, shared);
                } else {
                  List<String> own = member.binariesOf(tuple);
                  if (!own.isEmpty()) {
                    action.accept(member, own);
                  }
                }
              });
        });
    // Assets that add a binary of the tuple to a baseline holding none of them.
    Set<AssetEntry> done = new HashSet<>();
    for (Row row : tuple.rows) {
      row.adders.forEach(
          adder -> {
            Baseline baseline = adder.baseline;
            if ((baseline == null || !byBaseline.containsKey(baseline)) && done.add(adder)) {
              action.accept(adder, adder.binariesOf(tuple));
            }
          });
    }
  }

  private static List<String> binaries(List<Row> rows) {
    if (rows.size() == 1) {
      return List.of(rows.get(0).binary);
    }
    return rows.stream().map(r -> r.binary).distinct().sorted().toList();
  }

  /**
   * The findings of every advisory held on one asset, ordered by advisory (in the order the
   * advisories were first put), then package name and installed version; empty for an asset not
   * held.
   */
  public List<Finding> findings(AssetId asset) {
    Objects.requireNonNull(asset, "asset");
    Lock read = lock.readLock();
    read.lock();
    try {
      AssetEntry entry = assets.get(asset);
      if (entry == null) {
        return List.of();
      }
      Map<Group, TreeSet<String>> groups = new HashMap<>();
      entry.forEachRow(
          row -> {
            Tuple tuple = row.tuple;
            for (int v = 0; v < tuple.verdictCount; v++) {
              groups
                  .computeIfAbsent(new Group(tuple.advisories[v], tuple), g -> new TreeSet<>())
                  .add(row.binary);
            }
          });
      List<Placed> placed = new ArrayList<>(groups.size());
      groups.forEach(
          (group, names) ->
              placed.add(
                  new Placed(
                      group.advisory().slot,
                      Objects.requireNonNull(group.tuple().verdictOf(group.advisory()))
                          .finding(
                              entry.id,
                              group.advisory().advisoryId,
                              group.tuple().name,
                              names,
                              group.tuple().version))));
      placed.sort(Placed.ORDER);
      return placed.stream().map(Placed::finding).toList();
    } finally {
      read.unlock();
    }
  }

  /** How many advisories are held. */
  public int advisoryCount() {
    return withReadLock(advisories::size);
  }

  /** How many assets are held. */
  public int assetCount() {
    return withReadLock(assets::size);
  }

  /**
   * How many distinct (platform, source package, source version) tuples the index has seen: what a
   * new advisory's cost is bounded by, however many assets hold them.
   */
  public int distinctVersionCount() {
    return withReadLock(() -> tupleCount);
  }

  /** How many baselines (image-like shared package sets) the assets are held against. */
  int baselineCount() {
    return withReadLock(() -> platforms.values().stream().mapToInt(p -> p.baselines.size()).sum());
  }

  private int withReadLock(IntSupplier what) {
    Lock read = lock.readLock();
    read.lock();
    try {
      return what.getAsInt();
    } finally {
      read.unlock();
    }
  }

  // ---- internals (under the write lock) ---------------------------------------------------------

  /**
   * Holds an asset with these packages: against the baseline it differs least from, as the rows it
   * adds and the rows it lacks, or as a new baseline when none is close. The common case — a VM
   * cloned from an image that another VM already brought in — costs a reference comparison per
   * package, since VMs from one image share their package values, and a few lookups for its drift.
   */
  private void join(PlatformRows rowsOf, AssetEntry asset, List<InstalledPackage> packages) {
    int n = packages.size();
    Baseline baseline = closestBaseline(rowsOf, packages);
    if (baseline != null) {
      int stamp = nextStamp();
      List<Row> extra = new ArrayList<>();
      InstalledPackage[] same = baseline.packages;
      int[] ids = baseline.rowIds;
      int offset = 0;
      // The hot loop: for a VM cloned from the baseline's image, one comparison and one mark per
      // package. A reference comparison when the VM shares its image's package values; else a
      // value comparison, which the cached hash codes settle at once for unequal values — still
      // cheaper than finding the row in a hash table.
      for (int k = 0; k < n; k++) {
        InstalledPackage pkg = packages.get(k);
        int at = k + offset;
        if (at < same.length && same(same[at], pkg)) {
          marks[ids[at]] = stamp;
          continue;
        }
        if (at + 1 < same.length && same(same[at + 1], pkg)) {
          marks[ids[at + 1]] = stamp; // the baseline has a package here that this asset lacks
          offset++;
          continue;
        }
        if (at >= 1 && at - 1 < same.length && same(same[at - 1], pkg)) {
          marks[ids[at - 1]] = stamp; // this asset has a package here that the baseline lacks
          offset--;
          continue;
        }
        Row row;
        if (at < same.length) {
          // Where members differ from the baseline, they mostly differ alike (the baseline's first
          // asset had drifted there, or a package got one update fleet-wide): remember the last
          // value seen at this place, and its row, to spare the next member the hash lookup.
          InstalledPackage seen = baseline.seen[at];
          if (seen != null && same(seen, pkg)) {
            row = rowsById.get(baseline.seenIds[at]);
          } else {
            row = rowOf(rowsOf, pkg);
            baseline.seen[at] = pkg;
            baseline.seenIds[at] = row.id;
          }
        } else {
          row = rowOf(rowsOf, pkg);
        }
        if (marks[row.id] != stamp) {
          marks[row.id] = stamp;
          if (!baseline.holds(row)) {
            extra.add(row);
          }
        }
      }
      List<Row> missing = new ArrayList<>();
      for (int id : ids) {
        if (marks[id] != stamp) {
          marks[id] = stamp; // once, however often the baseline lists it
          missing.add(rowsById.get(id));
        }
      }
      if (extra.size() + missing.size() <= Math.max(minDrift, n / DRIFT_DIVISOR)) {
        asset.join(baseline, extra, missing);
        return;
      }
    }
    // Close to no baseline: the asset brings a new image, or is one of a kind.
    Row[] rows = new Row[n];
    for (int k = 0; k < n; k++) {
      rows[k] = rowOf(rowsOf, packages.get(k));
    }
    if (rowsOf.baselines.size() >= maxBaselines) {
      List<Row> own = new ArrayList<>();
      int mark = nextStamp();
      for (Row row : rows) {
        if (marks[row.id] != mark) {
          marks[row.id] = mark;
          own.add(row);
        }
      }
      asset.join(rowsOf.empty, own, List.of());
      return;
    }
    Baseline fresh = new Baseline(rowsOf, packages.toArray(new InstalledPackage[0]), rows);
    rowsOf.baselines.add(fresh);
    asset.join(fresh, List.of(), List.of());
  }

  /**
   * The baseline holding most of a sample of the packages, or null when none holds most of them: by
   * the very package values at the sampled positions if that decides, else by the rows they are, so
   * that a VM with a package inserted early, or one read into values of its own, still finds its
   * image. Only the cost of the put depends on the choice, never its result.
   */
  private @Nullable Baseline closestBaseline(PlatformRows rowsOf, List<InstalledPackage> packages) {
    if (rowsOf.baselines.isEmpty() || packages.isEmpty()) {
      return null;
    }
    int n = packages.size();
    int samples = Math.min(SAMPLES, n);
    // First by the values at the same positions, which costs no lookup: a VM cloned from an image
    // lists its image's packages mostly where the image does.
    Baseline best = null;
    int bestScore = samples / 2;
    for (Baseline candidate : rowsOf.baselines) {
      int score = 0;
      for (int i = 0; i < samples; i++) {
        int at = (int) ((long) i * n / samples);
        if (at < candidate.packages.length && same(candidate.packages[at], packages.get(at))) {
          score++;
        }
      }
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best != null) {
      return best;
    }
    Row[] sample = new Row[samples];
    for (int i = 0; i < samples; i++) {
      sample[i] = rowOf(rowsOf, packages.get((int) ((long) i * n / samples)));
    }
    for (Baseline candidate : rowsOf.baselines) {
      int score = 0;
      for (Row row : sample) {
        if (candidate.holds(row)) {
          score++;
        }
      }
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
        if (score == samples) {
          break;
        }
      }
    }
    return best;
  }

  private static boolean same(InstalledPackage a, InstalledPackage b) {
    return a == b || (a.hashCode() == b.hashCode() && a.equals(b));
  }

  private Row rowOf(PlatformRows rowsOf, InstalledPackage pkg) {
    Row row = rowsOf.byPackage.get(pkg);
    if (row != null) {
      return row;
    }
    String source = pkg.effectiveSourceName();
    String version = pkg.effectiveSourceVersion();
    Tuple tuple = rowsOf.tuples.get(new TupleKey(source, version));
    if (tuple == null) {
      tuple = newTuple(rowsOf, source, version);
    }
    row = tuple.row(pkg.name());
    if (row.id < 0) {
      row.id = rowsById.size();
      rowsById.add(row);
      if (marks.length < rowsById.size()) {
        marks = Arrays.copyOf(marks, marks.length * 2);
      }
    }
    rowsOf.byPackage.put(pkg, row);
    return row;
  }

  private int nextStamp() {
    if (++stamp == Integer.MAX_VALUE) {
      Arrays.fill(marks, 0);
      stamp = 1;
    }
    return stamp;
  }

  private Tuple newTuple(PlatformRows rowsOf, String name, String version) {
    Tuple tuple = new Tuple(rowsOf.platform, name, version);
    rowsOf.tuples.put(new TupleKey(name, version), tuple);
    tupleCount++;
    Named named = names.computeIfAbsent(name, n -> new Named());
    named.tuples.add(tuple);
    for (AdvisoryEntry advisory : named.advisories) {
      decidedSoFar += decide(advisory, tuple);
    }
    return tuple;
  }

  /** Decides one advisory's verdict on one tuple and records it; 1 if it had one to decide. */
  private static int decide(AdvisoryEntry advisory, Tuple tuple) {
    Verdict verdict = advisory.session.decide(tuple.platform, tuple.name, tuple.version);
    if (verdict == null) {
      return 0;
    }
    tuple.addVerdict(advisory, verdict);
    advisory.tuples.add(tuple);
    return 1;
  }

  private void detach(AdvisoryEntry entry) {
    for (Tuple tuple : entry.tuples) {
      tuple.removeVerdict(entry);
    }
    for (String name : entry.names) {
      Named named = names.get(name);
      if (named != null) {
        named.advisories.remove(entry);
      }
    }
  }

  /** One platform's rows, tuples and baselines. */
  private static final class PlatformRows {
    final Platform platform;

    /**
     * Rows by the installed package value they were seen as: an inventory's packages are looked up
     * as they come, with no key built per package. Several values (binNMUs: one binary version,
     * another source version) can name one row.
     */
    final Map<InstalledPackage, Row> byPackage = new HashMap<>();

    final Map<TupleKey, Tuple> tuples = new HashMap<>();
    final List<Baseline> baselines = new ArrayList<>();

    /** The baseline of assets close to no other, which hold all their rows as their own. */
    final Baseline empty;

    PlatformRows(Platform platform) {
      this.platform = platform;
      this.empty = new Baseline(this, new InstalledPackage[0], new Row[0]);
    }
  }

  private record TupleKey(String name, String version) {}

  /** The tuples of one source package name on every platform, and the advisories naming it. */
  private static final class Named {
    final List<Tuple> tuples = new ArrayList<>();
    final List<AdvisoryEntry> advisories = new ArrayList<>();
  }

  /**
   * One (platform, source package, source version): the unit a verdict is decided for. Holds its
   * verdicts in small parallel arrays — most tuples have none, a few have several.
   */
  private static final class Tuple {
    final Platform platform;
    final String name;
    final String version;
    final List<Row> rows = new ArrayList<>(2);
    AdvisoryEntry[] advisories = new AdvisoryEntry[0];
    Verdict[] verdicts = new Verdict[0];
    int verdictCount;

    Tuple(Platform platform, String name, String version) {
      this.platform = platform;
      this.name = name;
      this.version = version;
    }

    Row row(String binary) {
      for (Row row : rows) {
        if (row.binary.equals(binary)) {
          return row;
        }
      }
      Row row = new Row(binary, this);
      rows.add(row);
      return row;
    }

    void addVerdict(AdvisoryEntry advisory, Verdict verdict) {
      if (verdictCount == advisories.length) {
        int size = Math.max(2, verdictCount * 2);
        advisories = Arrays.copyOf(advisories, size);
        verdicts = Arrays.copyOf(verdicts, size);
      }
      advisories[verdictCount] = advisory;
      verdicts[verdictCount] = verdict;
      verdictCount++;
    }

    void removeVerdict(AdvisoryEntry advisory) {
      for (int i = 0; i < verdictCount; i++) {
        if (advisories[i] == advisory) {
          int tail = verdictCount - i - 1;
          System.arraycopy(advisories, i + 1, advisories, i, tail);
          System.arraycopy(verdicts, i + 1, verdicts, i, tail);
          verdictCount--;
          advisories[verdictCount] = null;
          verdicts[verdictCount] = null;
          return;
        }
      }
    }

    @Nullable Verdict verdictOf(AdvisoryEntry advisory) {
      for (int i = 0; i < verdictCount; i++) {
        if (advisories[i] == advisory) {
          return verdicts[i];
        }
      }
      return null;
    }
  }

  /**
   * One binary package of one tuple. Its holders are the members of the baselines listing it that
   * do not lack it, and the assets that add it to their baseline.
   */
  private static final class Row {
    final String binary;
    final Tuple tuple;
    int id = -1;
    final List<Baseline> baselines = new ArrayList<>(1);
    final Members adders = new Members();

    Row(String binary, Tuple tuple) {
      this.binary = binary;
      this.tuple = tuple;
    }
  }

  /**
   * A package set many assets share, as VMs cloned from one image do: the packages as the first
   * asset listed them, their rows, and which rows it holds (a bit per row id).
   */
  private static final class Baseline {
    final PlatformRows platform;
    final InstalledPackage[] packages;
    final Row[] rows;
    final int[] rowIds;
    final long[] held;

    /** Per place: the last other package value a member had there, and its row's id. */
    final @Nullable InstalledPackage[] seen;

    final int[] seenIds;
    final Members members = new Members();

    Baseline(PlatformRows platform, InstalledPackage[] packages, Row[] rows) {
      this.platform = platform;
      this.packages = packages;
      this.rows = rows;
      this.rowIds = new int[rows.length];
      this.seen = new InstalledPackage[rows.length];
      this.seenIds = new int[rows.length];
      int max = 0;
      for (int i = 0; i < rows.length; i++) {
        rowIds[i] = rows[i].id;
      }
      for (Row row : rows) {
        max = Math.max(max, row.id);
      }
      held = new long[(max >> 6) + 1];
      for (Row row : rows) {
        if (!holds(row)) {
          held[row.id >> 6] |= 1L << row.id;
          row.baselines.add(this);
        }
      }
    }

    boolean holds(Row row) {
      int word = row.id >> 6;
      return word < held.length && (held[word] & (1L << row.id)) != 0;
    }

    /** Forgets this baseline once no asset is held against it. */
    void dropIfUnused() {
      if (members.isEmpty() && rows.length > 0) {
        platform.baselines.remove(this);
        for (Row row : rows) {
          row.baselines.remove(this);
        }
      }
    }
  }

  /** Assets in the order of their slots; appending is the common case. */
  private static final class Members {
    private AssetEntry[] entries = new AssetEntry[0];
    private int size;

    void add(AssetEntry asset) {
      if (size == entries.length) {
        entries = Arrays.copyOf(entries, Math.max(2, size + (size >> 1) + 1));
      }
      int at = size;
      while (at > 0 && entries[at - 1].slot > asset.slot) {
        at--;
      }
      System.arraycopy(entries, at, entries, at + 1, size - at);
      entries[at] = asset;
      size++;
    }

    void remove(AssetEntry asset) {
      for (int i = size - 1; i >= 0; i--) {
        if (entries[i] == asset) {
          System.arraycopy(entries, i + 1, entries, i, size - i - 1);
          entries[--size] = null;
          return;
        }
      }
    }

    boolean isEmpty() {
      return size == 0;
    }

    void forEach(Consumer<AssetEntry> action) {
      for (int i = 0; i < size; i++) {
        action.accept(entries[i]);
      }
    }
  }

  /** One advisory held, with the tuples it has verdicts on. */
  private static final class AdvisoryEntry {
    final int slot;
    final AdvisoryId advisoryId;
    final OsvApplicability.Session session;
    final Set<String> names;
    final List<Tuple> tuples = new ArrayList<>();

    AdvisoryEntry(int slot, OsvApplicability.Session session) {
      this.slot = slot;
      this.advisoryId = session.advisory().id();
      this.session = session;
      this.names = session.names();
    }
  }

  /**
   * One asset held: its baseline, the rows it adds to it and the rows of it that it lacks (both
   * small for a VM cloned from an image). Lacked rows are kept sorted by id for a binary search.
   */
  private static final class AssetEntry {
    private static final Row[] NONE = new Row[0];
    private static final int[] NO_IDS = new int[0];

    final int slot;
    final AssetId id;
    @Nullable Baseline baseline;
    Row[] adds = NONE;
    int[] lacks = NO_IDS;

    AssetEntry(int slot, AssetId id) {
      this.slot = slot;
      this.id = id;
    }

    void join(Baseline to, List<Row> extra, List<Row> missing) {
      baseline = to;
      to.members.add(this);
      adds = extra.toArray(NONE);
      for (Row row : adds) {
        row.adders.add(this);
      }
      int[] ids = new int[missing.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = missing.get(i).id;
      }
      Arrays.sort(ids);
      lacks = ids;
    }

    /** Lets go of its baseline and rows, before it is held again or removed. */
    void leave() {
      Baseline from = baseline;
      if (from != null) {
        from.members.remove(this);
        from.dropIfUnused();
      }
      for (Row row : adds) {
        row.adders.remove(this);
      }
      baseline = null;
      adds = NONE;
      lacks = NO_IDS;
    }

    /** Whether this asset holds the tuple's binaries exactly as its baseline does. */
    boolean touchesNone(Tuple tuple) {
      for (Row row : tuple.rows) {
        if (lacks(row)) {
          return false;
        }
      }
      for (Row row : adds) {
        if (row.tuple == tuple) {
          return false;
        }
      }
      return true;
    }

    /** The binaries of the tuple this asset holds, sorted; empty if none. */
    List<String> binariesOf(Tuple tuple) {
      List<Row> held = new ArrayList<>(2);
      Baseline from = baseline;
      for (Row row : tuple.rows) {
        if ((from != null && from.holds(row) && !lacks(row)) || contains(adds, row)) {
          held.add(row);
        }
      }
      return binaries(held);
    }

    private static boolean contains(Row[] rows, Row row) {
      for (Row r : rows) {
        if (r == row) {
          return true;
        }
      }
      return false;
    }

    boolean lacks(Row row) {
      return lacks.length > 0 && Arrays.binarySearch(lacks, row.id) >= 0;
    }

    void forEachRow(Consumer<Row> action) {
      Baseline from = baseline;
      if (from != null) {
        for (Row row : from.rows) {
          if (!lacks(row)) {
            action.accept(row);
          }
        }
      }
      for (Row row : adds) {
        action.accept(row);
      }
    }
  }

  /**
   * One advisory on one tuple. Neither class overrides {@code equals}, so the record's equality is
   * identity of both, as grouping needs.
   */
  private record Group(AdvisoryEntry advisory, Tuple tuple) {}

  private record Placed(int order, Finding finding) {
    static final Comparator<Placed> ORDER =
        Comparator.comparingInt(Placed::order)
            .thenComparing(p -> p.finding().packageName())
            .thenComparing(p -> p.finding().installedVersion());
  }
}
