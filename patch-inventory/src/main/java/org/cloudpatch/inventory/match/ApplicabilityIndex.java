package org.cloudpatch.inventory.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 *   <li><b>Deduplicated.</b> The fleet is held as distinct rows — (platform, binary package, source
 *       package, source version) — each shared by every asset that has it, so thousands of VMs
 *       cloned from a few images cost little more than the images. A verdict is decided once per
 *       (advisory, platform, source package, source version) and serves every asset holding it.
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
 * update. Holds no reference to the inventories put: only their rows, and the installed-package
 * values each row was first seen as.
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

  private ApplicabilityIndex() {}

  /** An empty index. */
  public static ApplicabilityIndex create() {
    return new ApplicabilityIndex();
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
      List<InstalledPackage> packages = inventory.packages();
      Row[] rows = new Row[packages.size()];
      int decided = 0;
      for (int i = 0; i < rows.length; i++) {
        InstalledPackage pkg = packages.get(i);
        Row row = rowsOf.byPackage.get(pkg);
        if (row == null) {
          Tuple tuple =
              rowsOf.tuples.get(
                  new TupleKey(pkg.effectiveSourceName(), pkg.effectiveSourceVersion()));
          if (tuple == null) {
            tuple = newTuple(rowsOf, pkg.effectiveSourceName(), pkg.effectiveSourceVersion());
            decided += tuple.verdictCount;
          }
          row = tuple.row(pkg.name());
          rowsOf.byPackage.put(pkg, row);
        }
        rows[i] = row;
      }
      AssetEntry previous = assets.get(inventory.asset());
      if (previous == null) {
        AssetEntry entry = new AssetEntry(nextAssetSlot++, inventory.asset(), rows);
        assets.put(inventory.asset(), entry);
        for (Row row : rows) {
          row.addHolder(entry.slot);
        }
      } else {
        // Only the rows gained and lost change hands; a VM that upgraded three packages touches
        // three rows, not fifteen hundred.
        Set<Row> before = identitySet(previous.rows);
        Set<Row> after = identitySet(rows);
        for (Row row : before) {
          if (!after.contains(row)) {
            row.removeHolder(previous.slot);
          }
        }
        for (Row row : after) {
          if (!before.contains(row)) {
            row.addHolder(previous.slot);
          }
        }
        previous.rows = rows;
      }
      return decided;
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
      for (Row row : identitySet(entry.rows)) {
        row.removeHolder(entry.slot);
      }
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
      Map<Integer, AssetEntry> bySlot = assetsBySlot();
      List<Placed> placed = new ArrayList<>();
      for (Tuple tuple : entry.tuples) {
        Verdict verdict = Objects.requireNonNull(tuple.verdictOf(entry));
        // Per holding asset, the binaries built from this source version, sorted.
        TreeMap<Integer, TreeSet<String>> binaries = new TreeMap<>();
        for (Row row : tuple.rows) {
          for (int h = 0; h < row.holderCount; h++) {
            binaries.computeIfAbsent(row.holders[h], k -> new TreeSet<>()).add(row.binary);
          }
        }
        for (Map.Entry<Integer, TreeSet<String>> e : binaries.entrySet()) {
          AssetEntry asset = Objects.requireNonNull(bySlot.get(e.getKey()));
          placed.add(
              new Placed(
                  e.getKey(),
                  verdict.finding(
                      asset.id, entry.advisoryId, tuple.name, e.getValue(), tuple.version)));
        }
      }
      placed.sort(
          Comparator.comparingInt(Placed::order)
              .thenComparing(p -> p.finding().packageName())
              .thenComparing(p -> p.finding().installedVersion()));
      return placed.stream().map(Placed::finding).toList();
    } finally {
      read.unlock();
    }
  }

  /**
   * The findings of every advisory held on one asset, ordered by advisory (in the order the
   * advisories were first put), then as the asset's inventory lists the packages; empty for an
   * asset not held.
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
      Map<Group, TreeSet<String>> groups = new LinkedHashMap<>();
      for (Row row : entry.rows) {
        Tuple tuple = row.tuple;
        for (int v = 0; v < tuple.verdictCount; v++) {
          groups
              .computeIfAbsent(new Group(tuple.advisories[v], tuple), g -> new TreeSet<>())
              .add(row.binary);
        }
      }
      List<Placed> placed = new ArrayList<>(groups.size());
      for (Map.Entry<Group, TreeSet<String>> g : groups.entrySet()) {
        AdvisoryEntry advisory = g.getKey().advisory();
        Tuple tuple = g.getKey().tuple();
        Verdict verdict = Objects.requireNonNull(tuple.verdictOf(advisory));
        placed.add(
            new Placed(
                advisory.slot,
                verdict.finding(
                    entry.id, advisory.advisoryId, tuple.name, g.getValue(), tuple.version)));
      }
      // A stable sort keeps the inventory order within each advisory.
      placed.sort(Comparator.comparingInt(Placed::order));
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

  private int withReadLock(java.util.function.IntSupplier what) {
    Lock read = lock.readLock();
    read.lock();
    try {
      return what.getAsInt();
    } finally {
      read.unlock();
    }
  }

  // ---- internals (under the write lock) ---------------------------------------------------------

  private Tuple newTuple(PlatformRows rowsOf, String name, String version) {
    Tuple tuple = new Tuple(rowsOf.platform, name, version);
    rowsOf.tuples.put(new TupleKey(name, version), tuple);
    tupleCount++;
    Named named = names.computeIfAbsent(name, n -> new Named());
    named.tuples.add(tuple);
    for (AdvisoryEntry advisory : named.advisories) {
      decide(advisory, tuple);
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

  private Map<Integer, AssetEntry> assetsBySlot() {
    Map<Integer, AssetEntry> bySlot = new HashMap<>(assets.size() * 2);
    for (AssetEntry asset : assets.values()) {
      bySlot.put(asset.slot, asset);
    }
    return bySlot;
  }

  private static Set<Row> identitySet(Row[] rows) {
    Set<Row> set = Collections.newSetFromMap(new IdentityHashMap<>(rows.length * 2));
    set.addAll(Arrays.asList(rows));
    return set;
  }

  /** One platform's rows and tuples. */
  private static final class PlatformRows {
    final Platform platform;

    /**
     * Rows by the installed package value they were seen as: an inventory's packages are looked up
     * as they come, with no key built per package. Several values (binNMUs: one binary version,
     * another source version) can name one row.
     */
    final Map<InstalledPackage, Row> byPackage = new HashMap<>();

    final Map<TupleKey, Tuple> tuples = new HashMap<>();

    PlatformRows(Platform platform) {
      this.platform = platform;
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
   * One binary package of one tuple, and the assets holding it as a sorted array of asset slots:
   * four bytes per installed row, the whole per-VM cost of the index besides the VM's row array.
   */
  private static final class Row {
    final String binary;
    final Tuple tuple;
    int[] holders = new int[2];
    int holderCount;

    Row(String binary, Tuple tuple) {
      this.binary = binary;
      this.tuple = tuple;
    }

    void addHolder(int slot) {
      // New assets get ever larger slots, so a fleet loading in order only ever appends.
      if (holderCount == 0 || holders[holderCount - 1] < slot) {
        grow();
        holders[holderCount++] = slot;
        return;
      }
      int at = Arrays.binarySearch(holders, 0, holderCount, slot);
      if (at >= 0) {
        return; // listed twice in one inventory
      }
      int insert = -at - 1;
      grow();
      System.arraycopy(holders, insert, holders, insert + 1, holderCount - insert);
      holders[insert] = slot;
      holderCount++;
    }

    void removeHolder(int slot) {
      int at = Arrays.binarySearch(holders, 0, holderCount, slot);
      if (at >= 0) {
        System.arraycopy(holders, at + 1, holders, at, holderCount - at - 1);
        holderCount--;
      }
    }

    private void grow() {
      if (holderCount == holders.length) {
        holders = Arrays.copyOf(holders, holders.length + (holders.length >> 1) + 1);
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

  /** One asset held: its rows in inventory order. */
  private static final class AssetEntry {
    final int slot;
    final AssetId id;
    Row[] rows;

    AssetEntry(int slot, AssetId id, Row[] rows) {
      this.slot = slot;
      this.id = id;
      this.rows = rows;
    }
  }

  private record Group(AdvisoryEntry advisory, Tuple tuple) {
    // Identity: two groups are one when they are the same advisory on the same tuple.
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Group g && g.advisory == advisory && g.tuple == tuple;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(advisory) * 31 + System.identityHashCode(tuple);
    }
  }

  private record Placed(int order, Finding finding) {}
}
