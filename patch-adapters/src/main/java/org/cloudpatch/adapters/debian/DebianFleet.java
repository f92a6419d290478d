package org.cloudpatch.adapters.debian;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.cloudpatch.adapters.debian.JobStore.Stored;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.batch.Printable;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.rollout.PatchOutcome;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.PatchExecutor;
import org.cloudpatch.inventory.format.DpkgStatusReader;
import org.cloudpatch.inventory.format.OsRelease;
import org.cloudpatch.inventory.format.RootFilesystem;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian and Ubuntu systems, each an asset with a root directory ({@code /} for the machine this
 * runs on, or a chroot or unpacked image), inventoried from their dpkg database and patched with
 * apt.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Inventory</b> is what {@code ROOT/var/lib/dpkg/status} says is installed now (read with
 *       patch-inventory's {@link DpkgStatusReader}), on the platform {@code ROOT/etc/os-release}
 *       (or {@code usr/lib/os-release}) names, else the asset's own.
 *   <li><b>A job runs at most once per key</b>, however often it is submitted, to this executor or
 *       to the next one over the same root after a restart: its record is kept in {@code
 *       ROOT/var/lib/cloudpatch/jobs/} before it starts. A key resubmitted after a crash that cut a
 *       job short is not run again: its outcome is read from the dpkg database as it is. (One
 *       executor at a time serves a root.)
 *   <li><b>Submitting never waits</b> for apt: {@link #poll} is empty while the job runs. Jobs on
 *       one root run one after another; jobs on different roots at once.
 *   <li>A job runs {@code apt-get update} (unless switched off) and {@code apt-get install -y
 *       --no-install-recommends NAME=VERSION...} for the packages below their target, each command
 *       under a time bound (stopped with its children when it passes it) and with its output kept
 *       only as far as a bound; a package already at or above its target is left alone. On a root
 *       other than {@code /}, apt and dpkg of this machine act on the root ({@code -o Dir=ROOT},
 *       {@code dpkg --root=ROOT}); maintainer scripts run chrooted into it.
 *   <li><b>The outcome is read back from the dpkg database</b>, never taken from apt's exit code:
 *       per package the version installed afterwards when it is at or above the target, else {@code
 *       error: ...} with apt's last words. A pending reboot ({@code ROOT/var/run/reboot-required})
 *       is named in the outcome's message; this class never reboots the machine, whatever the job's
 *       reboot policy: that is the host's to do.
 * </ul>
 *
 * <p>Patching needs the rights apt needs (root). Thread-safe. {@link #close()} stops taking jobs
 * and ends the threads this class started.
 */
public final class DebianFleet implements InventorySource, PatchExecutor, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DebianFleet.class);
  private static final VersionScheme DPKG = VersionSchemes.forEcosystem("Debian").orElseThrow();

  /** Debian policy §5.6.1; nothing that apt could read as an option or a pattern. */
  private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

  private final Clock clock;
  private final Map<AssetId, DebianSystem> systems;
  private final Duration commandTimeout;
  private final int outputLimit;
  private final boolean refreshLists;
  private final String aptGet;
  private final Executor runner;
  private final @Nullable ExecutorService ownRunner;
  private final Map<String, Job> jobs = new HashMap<>();

  /** One system: its asset, its root and where its jobs are kept. */
  private record DebianSystem(Asset asset, Path root, JobStore store, Object lock) {
    boolean isThisMachine() {
      return root.getParent() == null;
    }
  }

  /** A job known to this executor; its outcome is set once. */
  private static final class Job {
    final Stored stored;
    final DebianSystem system;
    volatile @Nullable PatchOutcome outcome;

    Job(Stored stored, DebianSystem system) {
      this.stored = stored;
      this.system = system;
      this.outcome = stored.outcome().orElse(null);
    }
  }

  private DebianFleet(Builder b) {
    this.clock = b.clock;
    this.systems = new TreeMap<>(b.systems);
    this.commandTimeout = b.commandTimeout;
    this.outputLimit = b.outputLimit;
    this.refreshLists = b.refreshLists;
    this.aptGet = b.aptGet;
    if (b.runner != null) {
      this.runner = b.runner;
      this.ownRunner = null;
    } else {
      AtomicInteger threads = new AtomicInteger();
      ExecutorService pool =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "cloudpatch-apt-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      this.runner = pool;
      this.ownRunner = pool;
    }
  }

  /** A builder; add at least one system with {@link Builder#system}. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- InventorySource -----------------------------------------------------------------------

  /** The systems' assets as given to the builder, sorted by id. */
  @Override
  public List<Asset> assets() {
    return systems.values().stream().map(DebianSystem::asset).toList();
  }

  /**
   * What the asset's dpkg database says is installed now, observed at the clock's instant; empty
   * for an asset this fleet does not hold.
   *
   * @throws PatchException when the root holds no dpkg database, or it cannot be read
   */
  @Override
  public Optional<Inventory> inventory(AssetId asset) {
    Objects.requireNonNull(asset, "asset");
    DebianSystem system = systems.get(asset);
    if (system == null) {
      return Optional.empty();
    }
    RootFilesystem fs = RootFilesystem.of(system.root());
    Platform platform =
        fs.regularFile("etc/os-release")
            .or(() -> fs.regularFile("usr/lib/os-release"))
            .map(OsRelease::read)
            .orElse(system.asset().platform());
    return Optional.of(
        DpkgStatusReader.create().readInventory(status(system), asset, platform, clock.instant()));
  }

  // ---- PatchExecutor ---------------------------------------------------------------------------

  /**
   * Starts the job on its asset's system and returns its handle (the job's key) at once; a key
   * already submitted, to this executor or to any other over the same root, returns its handle
   * without running again.
   *
   * @throws IllegalArgumentException when the job's asset is not one of this fleet's, or its key
   *     was used for another asset
   * @throws PatchException when the job's record cannot be kept, or no thread takes the job
   */
  @Override
  public String submit(PatchJob job) {
    Objects.requireNonNull(job, "job");
    DebianSystem system = systems.get(job.asset());
    if (system == null) {
      throw new IllegalArgumentException(
          Printable.escape("no Debian system for asset " + job.asset().value()));
    }
    Job started;
    synchronized (this) {
      Job known = jobs.get(job.key());
      if (known == null) {
        known = recover(system, job.key());
      }
      if (known != null) {
        if (!known.system.asset().id().equals(job.asset())) {
          throw new IllegalArgumentException(
              Printable.escape(
                  "job key "
                      + job.key()
                      + " was used for asset "
                      + known.system.asset().id().value()
                      + ", not "
                      + job.asset().value()));
        }
        return job.key();
      }
      Stored stored =
          new Stored(
              job.key(),
              job.asset().value(),
              clock.instant(),
              List.copyOf(job.updates()),
              Optional.empty());
      system.store().write(stored); // before it runs: a crash from here on never runs it twice
      started = new Job(stored, system);
      jobs.put(job.key(), started);
    }
    LOG.info("patch job {} on {}: {}", job.key(), job.asset().value(), job.updates());
    try {
      runner.execute(() -> run(started, job.rebootPolicy()));
    } catch (RejectedExecutionException e) {
      finish(started, readBack(started, "not run: no thread took the job (" + e + ")"));
      throw new PatchException("patch job " + job.key() + " was not started: " + e, e);
    }
    return job.key();
  }

  /**
   * The job's outcome, or empty while it runs. A handle issued by an earlier executor over one of
   * this fleet's roots is found in that root's job records.
   *
   * @throws IllegalArgumentException for a handle no executor over these roots issued
   */
  @Override
  public Optional<PatchOutcome> poll(String handle) {
    Objects.requireNonNull(handle, "handle");
    Job job;
    synchronized (this) {
      job = jobs.get(handle);
      if (job == null) {
        for (DebianSystem system : systems.values()) {
          job = recover(system, handle);
          if (job != null) {
            break;
          }
        }
      }
    }
    if (job == null) {
      throw new IllegalArgumentException(Printable.escape("no patch job " + handle));
    }
    return Optional.ofNullable(job.outcome);
  }

  /**
   * Takes no more jobs and waits for the jobs running on the threads this class started to end, at
   * most the command time bound (each command is stopped by then), so that a caller may remove the
   * roots once this returns. Jobs on a runner the host gave are the host's to wait for.
   */
  @Override
  public void close() {
    if (ownRunner == null) {
      return;
    }
    ownRunner.shutdown();
    try {
      // A job runs a few bounded commands one after another; each is stopped at the bound.
      if (!ownRunner.awaitTermination(
          commandTimeout.toMillis() * 3 + 30_000, TimeUnit.MILLISECONDS)) {
        LOG.warn("patch jobs still running after close waited for them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The job of that key in the system's records, or null; a job recorded as started that has no
   * outcome was cut short by a crash of an earlier executor, and gets its outcome from the dpkg
   * database as it is now: it is never run again.
   */
  private @Nullable Job recover(DebianSystem system, String key) {
    Optional<Stored> stored = system.store().find(key);
    if (stored.isEmpty() || !stored.get().asset().equals(system.asset().id().value())) {
      return null;
    }
    Job job = new Job(stored.get(), system);
    jobs.put(key, job);
    if (job.outcome == null) {
      LOG.warn("patch job {} was cut short by a restart; reading its outcome from dpkg", key);
      finish(job, readBack(job, "cut short by a restart of the executor; not run again"));
    }
    return job;
  }

  // ---- running a job ---------------------------------------------------------------------------

  private void run(Job job, PatchJob.RebootPolicy rebootPolicy) {
    synchronized (job.system.lock()) { // one apt at a time per root: apt would wait on its lock
      PatchOutcome outcome;
      try {
        outcome = apply(job, rebootPolicy);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = readBack(job, "interrupted");
      } catch (IOException | RuntimeException e) {
        LOG.warn("patch job {} failed: {}", job.stored.key(), e.toString());
        outcome = readBack(job, "failed: " + e.getMessage());
      }
      finish(job, outcome);
    }
  }

  private void finish(Job job, PatchOutcome outcome) {
    Stored s = job.stored;
    try {
      job.system
          .store()
          .write(new Stored(s.key(), s.asset(), s.submitted(), s.updates(), Optional.of(outcome)));
    } catch (PatchException e) {
      // The job's started record stays: a later executor reads its outcome back from dpkg.
      LOG.error("patch job {}: {}", s.key(), e.getMessage());
    }
    job.outcome = outcome;
    LOG.info(
        "patch job {} ended: {} {}",
        s.key(),
        outcome.succeeded() ? "succeeded" : "failed",
        outcome.message());
  }

  private PatchOutcome apply(Job job, PatchJob.RebootPolicy rebootPolicy)
      throws IOException, InterruptedException {
    List<PackageUpdate> updates = job.stored.updates();
    for (PackageUpdate u : updates) {
      String invalid = invalid(u);
      if (invalid != null) {
        return readBack(job, "not run: " + invalid);
      }
    }
    Map<String, String> before = installed(job.system);
    List<PackageUpdate> below = new ArrayList<>();
    for (PackageUpdate u : updates) {
      String v = before.get(u.name());
      if (v == null || DPKG.compare(v, u.targetVersion()) < 0) {
        below.add(u);
      }
    }
    if (below.isEmpty()) {
      return readBack(job, "every package already at or above its target; apt-get not run");
    }
    StringBuilder notes = new StringBuilder();
    if (refreshLists) {
      BoundedCommand.Result update = apt(job.system, List.of("update"));
      if (update.exitCode() != 0) {
        notes.append("apt-get update ").append(describe(update)).append("; ");
      }
    }
    List<String> install = new ArrayList<>(List.of("install", "-y", "--no-install-recommends"));
    below.forEach(u -> install.add(u.name() + "=" + u.targetVersion()));
    BoundedCommand.Result result = apt(job.system, install);
    notes.append("apt-get install ").append(describe(result));
    rebootRequired(job.system)
        .ifPresent(r -> notes.append("; ").append(r).append(policy(rebootPolicy)));
    return readBack(job, notes.toString());
  }

  private static String policy(PatchJob.RebootPolicy rebootPolicy) {
    return rebootPolicy == PatchJob.RebootPolicy.NEVER
        ? " (the job's policy is never to reboot)"
        : " (this executor does not reboot; the host reboots the machine)";
  }

  private BoundedCommand.Result apt(DebianSystem system, List<String> arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(aptGet, "-q"));
    if (!system.isThisMachine()) {
      String root = system.root().toString();
      command.addAll(
          List.of(
              "-o", "Dir=" + root,
              "-o", "Dir::State::status=" + root + "/var/lib/dpkg/status",
              "-o", "DPkg::Options::=--root=" + root,
              // dpkg logs to this machine's /var/log/dpkg.log, whatever --root says
              "-o", "DPkg::Options::=--log=" + root + "/var/log/dpkg.log"));
    }
    command.addAll(
        List.of(
            "-o", "DPkg::Options::=--force-confdef",
            "-o", "DPkg::Options::=--force-confold",
            "-o", "Dpkg::Use-Pty=0"));
    command.addAll(arguments);
    BoundedCommand.Result result =
        BoundedCommand.run(
            command,
            Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C"),
            commandTimeout,
            outputLimit);
    LOG.debug(
        "{} on {}: {}\n{}", arguments.get(0), system.root(), describe(result), result.output());
    return result;
  }

  /** How the command ended, with apt's reason when it failed. */
  private String describe(BoundedCommand.Result r) {
    String said = r.output().isBlank() ? "" : ": " + Printable.escape(r.reason());
    if (r.timedOut()) {
      return "stopped after its time bound of " + commandTimeout + said;
    }
    return "exited " + r.exitCode() + (r.exitCode() == 0 ? "" : said);
  }

  /**
   * The outcome the dpkg database shows: per package of the job, the version installed when it is
   * at or above the target, else an error naming what is installed.
   */
  private PatchOutcome readBack(Job job, String message) {
    Map<String, String> packages = new TreeMap<>();
    boolean succeeded = true;
    Map<String, String> after;
    try {
      after = installed(job.system);
    } catch (RuntimeException e) {
      after = Map.of();
      message = message + "; the dpkg database could not be read: " + e.getMessage();
    }
    for (PackageUpdate u : job.stored.updates()) {
      String v = after.get(u.name());
      if (v != null && invalid(u) == null && DPKG.compare(v, u.targetVersion()) >= 0) {
        packages.put(u.name(), v);
      } else {
        succeeded = false;
        packages.put(
            u.name(),
            "error: "
                + (v == null ? "not installed" : v + " installed")
                + ", target "
                + Printable.escape(u.targetVersion()));
      }
    }
    return PatchOutcome.builder()
        .succeeded(succeeded)
        .finishedAt(clock.instant())
        .packages(packages)
        .message(message)
        .build();
  }

  private static @Nullable String invalid(PackageUpdate u) {
    if (!PACKAGE_NAME.matcher(u.name()).matches()) {
      return "invalid package name '" + Printable.escape(u.name()) + "'";
    }
    try {
      DPKG.validate(u.targetVersion());
      return null;
    } catch (IllegalArgumentException e) {
      return "invalid target version for " + u.name() + ": " + e.getMessage();
    }
  }

  /** Installed binary packages, name to version; the lowest where several architectures are. */
  private static Map<String, String> installed(DebianSystem system) {
    Map<String, String> versions = new HashMap<>();
    for (InstalledPackage p : DpkgStatusReader.create().read(status(system)).accepted()) {
      versions.merge(p.name(), p.version(), (a, b) -> DPKG.compare(a, b) <= 0 ? a : b);
    }
    return versions;
  }

  private static Path status(DebianSystem system) {
    return RootFilesystem.of(system.root())
        .resolve("var/lib/dpkg/status")
        .orElseThrow(
            () ->
                new PatchException(
                    Printable.escape(
                        "no dpkg database in " + system.root() + " (var/lib/dpkg/status)")));
  }

  /** {@code reboot required (by a, b)} when the root's reboot flag is up. */
  private static Optional<String> rebootRequired(DebianSystem system) {
    RootFilesystem fs = RootFilesystem.of(system.root());
    if (fs.regularFile("var/run/reboot-required").isEmpty()) {
      return Optional.empty();
    }
    String by = "";
    Optional<Path> pkgs = fs.regularFile("var/run/reboot-required.pkgs");
    if (pkgs.isPresent()) {
      try (InputStream in = Files.newInputStream(pkgs.get())) {
        String names = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
        by =
            names.isEmpty()
                ? ""
                : " by "
                    + Printable.escape(
                        String.join(", ", new TreeSet<>(List.of(names.split("\\s+")))));
      } catch (IOException e) {
        LOG.debug("cannot read {}: {}", pkgs.get(), e.toString());
      }
    }
    return Optional.of("reboot required" + by);
  }

  /** Builds a {@link DebianFleet}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private final Map<AssetId, DebianSystem> systems = new TreeMap<>();
    private Duration commandTimeout = Duration.ofMinutes(30);
    private int outputLimit = 64 * 1024;
    private boolean refreshLists = true;
    private String aptGet = "apt-get";
    private @Nullable Executor runner;

    private Builder() {}

    /**
     * The clock for inventories' and outcomes' instants; the system's UTC clock by default.
     *
     * @param clock never null
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a system: the asset and the root directory of its file system.
     *
     * @param asset the asset, never null; its id names one system only
     * @param root {@code /} for this machine, or a chroot or image folder; an existing directory
     * @return this builder
     * @throws IllegalArgumentException when the asset or the root was added before
     * @throws PatchException when the root is no directory
     */
    public Builder system(Asset asset, Path root) {
      Objects.requireNonNull(asset, "asset");
      Path real = RootFilesystem.of(Objects.requireNonNull(root, "root")).root();
      for (DebianSystem s : systems.values()) {
        if (s.root().equals(real)) {
          throw new IllegalArgumentException(
              Printable.escape("root " + root + " is the root of " + s.asset().id().value()));
        }
      }
      DebianSystem system = new DebianSystem(asset, real, new JobStore(real), new Object());
      if (systems.putIfAbsent(asset.id(), system) != null) {
        throw new IllegalArgumentException(
            Printable.escape("asset " + asset.id().value() + " was added before"));
      }
      return this;
    }

    /**
     * The time bound of each apt command; 30 minutes by default. A command still running then is
     * stopped, and the job's outcome read from the dpkg database.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("commandTimeout must be positive: " + timeout);
      }
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * How many bytes of a command's output are kept (the last ones); 64 KiB by default.
     *
     * @param bytes 1 or more
     * @return this builder
     */
    public Builder outputLimit(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("outputLimit must be positive: " + bytes);
      }
      this.outputLimit = bytes;
      return this;
    }

    /**
     * Whether a job first runs {@code apt-get update}; true by default. Switch it off where the
     * package lists are refreshed otherwise.
     *
     * @param refresh whether to refresh
     * @return this builder
     */
    public Builder refreshPackageLists(boolean refresh) {
      this.refreshLists = refresh;
      return this;
    }

    /**
     * The executor that runs jobs; by default threads of this class's own, ended by {@link
     * DebianFleet#close()}.
     *
     * @param runner never null; it must run each job on a thread of its own (a job waits for apt)
     * @return this builder
     */
    public Builder runner(Executor runner) {
      this.runner = Objects.requireNonNull(runner, "runner");
      return this;
    }

    /** The apt-get to run: a wrapper, in tests that need a slow or noisy one. */
    Builder aptGet(String command) {
      this.aptGet = Objects.requireNonNull(command, "command");
      return this;
    }

    /** The fleet. */
    public DebianFleet build() {
      return new DebianFleet(this);
    }
  }
}
