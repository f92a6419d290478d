package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.advisory.Advisory;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.KitClouds;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.PackageUpdate;
import org.cloudpatch.core.rollout.PatchJob;
import org.cloudpatch.core.spi.AdvisoryFeed;
import org.cloudpatch.core.spi.ChangeSystem;
import org.cloudpatch.core.spi.EvidenceStore;
import org.cloudpatch.core.spi.HypervisorAdapter;
import org.cloudpatch.core.spi.InventoryChanges;
import org.cloudpatch.core.spi.InventorySource;
import org.cloudpatch.core.spi.Journal;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.core.spi.Notifier;
import org.cloudpatch.core.spi.PatchExecutor;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Each kit, run with the JUnit Platform launcher against an adapter broken in one way the engine
 * cannot live with, fails on the clause that states it. The broken adapters are static nested
 * classes, which surefire does not run on its own.
 */
class ContractKitsCatchBrokenAdaptersTest {
  private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

  @Test
  void advisoryFeedKit_failsFeedThatIgnoresItsCursor() {
    assertKitFails(
        FeedIgnoringCursor.class, "fetch_fromSavedCursor_resumesWithLaterPublicationsOnly");
  }

  @Test
  void inventorySourceKit_failsSourceListingAssetsUnsorted() {
    assertKitFails(SourceListingUnsorted.class, "assets_areEveryManagedAssetSortedById");
  }

  @Test
  void inventorySourceKit_failsFeedThatLosesAChange() {
    assertKitFails(FeedLosingAChange.class, "changes_sinceACursor_nameEveryAssetChangedSince");
  }

  @Test
  void inventorySourceKit_failsFeedThatIgnoresExpiry() {
    assertKitFails(FeedIgnoringExpiry.class, "changes_fromAnExpiredCursor_cannotVouch");
  }

  @Test
  void changeSystemKit_failsSystemOpeningAChangePerCall() {
    assertKitFails(ChangeSystemOpeningPerCall.class, "open_sameKeyTwice_givesTheSameChange");
  }

  @Test
  void notifierKit_failsNotifierCallingARefusalTransient() {
    assertKitFails(NotifierRetryingRefusals.class, "deliver_refusedByTheReceiver_failsPermanently");
  }

  @Test
  void hypervisorKit_failsHypervisorIgnoringCapacity() {
    assertKitFails(
        HypervisorIgnoringCapacity.class, "migrate_toHostWithoutRoom_failsAndLeavesTheVm");
  }

  @Test
  void hypervisorKit_failsHypervisorPatchingBusyHosts() {
    assertKitFails(HypervisorPatchingBusyHosts.class, "patchHost_onlyAnEmptyHostInMaintenance");
  }

  @Test
  void hypervisorKit_failsHypervisorListingStaleResidents() {
    assertKitFails(
        HypervisorListingStaleResidents.class,
        "residents_whenListed_agreeWithPlacementPowerStateAndDemand");
  }

  @Test
  void patchExecutorKit_failsExecutorThatForgetsJobKeys() {
    assertKitFails(ExecutorForgettingKeys.class, "submit_sameKeyTwice_givesTheSameHandle");
  }

  @Test
  void notifierKit_failsNotifierBroadcastingToEveryTenant() {
    assertKitFails(NotifierBroadcasting.class, "deliver_neverReachesAnotherTenant");
  }

  @Test
  void journalKit_failsJournalNumberingFromOne() {
    assertKitFails(
        JournalNumberingFromOne.class, "append_toEmptyJournal_numbersFromZeroInDraftOrder");
  }

  @Test
  void evidenceStoreKit_failsStoreKeepingTheFirstBundle() {
    assertKitFails(StoreKeepingTheFirst.class, "store_sameRecordTwice_keepsTheLater");
  }

  /** Runs the kit subclass; the named clause must fail, and some other clause must pass. */
  private static void assertKitFails(Class<?> kit, String clause) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    List<String> failed =
        summary.getFailures().stream().map(f -> f.getTestIdentifier().getDisplayName()).toList();
    assertTrue(
        failed.contains(clause + "()"),
        kit.getSimpleName() + " should fail " + clause + "; failed: " + failed);
    // A kit that fails everything proves nothing about the clause; the broken adapter is broken in
    // one way only, so the rest of its kit passes.
    assertTrue(
        summary.getTestsSucceededCount() > 0,
        kit.getSimpleName() + " passed no clause at all; failed: " + failed);
  }

  /** A proxy of {@code type} that forwards every call to {@code target} except one method. */
  @SuppressWarnings("unchecked")
  private static <T> T overriding(Class<T> type, T target, String method, Call override) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                return override.call(args);
              }
              try {
                return m.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private interface Call {
    Object call(Object[] args) throws Throwable;
  }

  private static SimulatedCloud cloud(VirtualClock clock) {
    return SimulatedCloud.builder().clock(clock).build();
  }

  // ---- the broken adapters --------------------------------------------------------------------

  /** Returns every advisory whatever the cursor: a restarted engine would reprocess the feed. */
  static class FeedIgnoringCursor extends AdvisoryFeedContract<FeedIgnoringCursor.Feed> {
    static final class Feed implements AdvisoryFeed {
      final List<Advisory> published = new ArrayList<>();

      @Override
      public String name() {
        return "cursorless";
      }

      @Override
      public Page fetch(Optional<String> cursor, int max) {
        if (max < 1) {
          throw new IllegalArgumentException("max " + max);
        }
        return Page.builder()
            .advisories(published.subList(0, Math.min(max, published.size())))
            .nextCursor("0")
            .build();
      }
    }

    @Override
    protected Feed newFeed() {
      return new Feed();
    }

    @Override
    protected void publish(Feed feed, Advisory advisory) {
      feed.published.add(advisory);
    }
  }

  /** Lists assets in the order they were given, not sorted by id. */
  static class SourceListingUnsorted extends InventorySourceContract<InventorySource> {
    @Override
    protected InventorySource newSource(List<ManagedAsset> fleet) {
      return new InventorySource() {
        @Override
        public List<Asset> assets() {
          return fleet.stream().map(ManagedAsset::asset).toList();
        }

        @Override
        public Optional<Inventory> inventory(AssetId asset) {
          return fleet.stream()
              .filter(m -> m.asset().id().equals(asset))
              .findFirst()
              .map(
                  m ->
                      Inventory.builder()
                          .asset(asset)
                          .platform(Platform.parse("Debian:12"))
                          .observedAt(T0)
                          .source("broken")
                          .packages(m.installed())
                          .build());
        }
      };
    }
  }

  /** A kit whose source is a simulated cloud with its feed replaced by {@link #feed}. */
  abstract static class FeedKit extends InventorySourceContract<InventorySource> {
    SimulatedCloud cloud = KitClouds.of(List.of());

    abstract InventoryChanges feed(Optional<String> since);

    @Override
    protected InventorySource newSource(List<ManagedAsset> fleet) {
      cloud = KitClouds.of(fleet);
      return overriding(InventorySource.class, cloud, "changes", args -> feed(castCursor(args[0])));
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> castCursor(Object o) {
      return (Optional<String>) o;
    }

    @Override
    protected boolean install(InventorySource source, AssetId asset, List<InstalledPackage> pkgs) {
      return KitClouds.install(cloud, asset, pkgs);
    }

    @Override
    protected boolean expireCursors(InventorySource source) {
      cloud.forgetChanges();
      return true;
    }
  }

  /** Names only the last asset that changed: the engine would match stale copies of the others. */
  static class FeedLosingAChange extends FeedKit {
    @Override
    InventoryChanges feed(Optional<String> since) {
      InventoryChanges real = cloud.changes(since);
      if (!real.vouched() || real.changed().size() < 2) {
        return real;
      }
      List<AssetId> changed = List.copyOf(real.changed());
      return InventoryChanges.builder()
          .from(real)
          .changed(List.of(changed.get(changed.size() - 1)))
          .build();
    }
  }

  /** Answers an expired cursor with "nothing changed": the changes before the expiry are lost. */
  static class FeedIgnoringExpiry extends FeedKit {
    @Override
    InventoryChanges feed(Optional<String> since) {
      InventoryChanges real = cloud.changes(since);
      return real.vouched() ? real : cloud.changes(Optional.empty());
    }
  }

  /** Opens a new change on every call: a retried open after a crash would open a duplicate. */
  static class ChangeSystemOpeningPerCall extends ChangeSystemContract<ChangeSystem> {
    private final VirtualClock clock = VirtualClock.at(T0);
    private int calls;

    @Override
    protected ChangeSystem newChangeSystem() {
      InMemoryChangeSystem real = InMemoryChangeSystem.create(clock, Duration.ofDays(1));
      return overriding(
          ChangeSystem.class,
          real,
          "open",
          args ->
              real.open(
                  ChangeRequest.builder()
                      .from((ChangeRequest) args[0])
                      .key(((ChangeRequest) args[0]).key() + "#" + calls++)
                      .build()));
    }

    @Override
    protected void letTimePass(ChangeSystem system, Duration duration) {
      clock.advance(duration);
    }
  }

  /** Reports success for a migration that the target has no room for, and does nothing. */
  static class HypervisorIgnoringCapacity extends HypervisorAdapterContract<HypervisorAdapter> {
    private final SimulatedCloud cloud = cloud(VirtualClock.at(T0));

    @Override
    protected HypervisorAdapter newHypervisor(Topology topology) {
      topology.hosts().forEach(cloud::addHost);
      topology.vms().forEach((vm, vcpus) -> cloud.addVm(vm, vcpus, List.of()));
      return overriding(
          HypervisorAdapter.class,
          cloud,
          "migrate",
          args -> {
            try {
              cloud.migrate((AssetId) args[0], (HostId) args[1], (String) args[2]);
            } catch (PatchException e) {
              // swallowed: the defect under test
            }
            return null;
          });
    }

    @Override
    protected void causeLifecycleEvent(HypervisorAdapter hypervisor, AssetId vm) {
      cloud.suspend(vm);
      cloud.resume(vm);
    }
  }

  /** Reports every host patch as done, whether the host is drained or not. */
  static class HypervisorPatchingBusyHosts extends HypervisorAdapterContract<HypervisorAdapter> {
    private final SimulatedCloud cloud = cloud(VirtualClock.at(T0));

    @Override
    protected HypervisorAdapter newHypervisor(Topology topology) {
      topology.hosts().forEach(cloud::addHost);
      topology.vms().forEach((vm, vcpus) -> cloud.addVm(vm, vcpus, List.of()));
      return overriding(HypervisorAdapter.class, cloud, "patchHost", args -> null);
    }

    @Override
    protected void causeLifecycleEvent(HypervisorAdapter hypervisor, AssetId vm) {
      cloud.suspend(vm);
      cloud.resume(vm);
    }
  }

  /** Lists a host's VMs as they were placed first: a migration never shows. */
  static class HypervisorListingStaleResidents
      extends HypervisorAdapterContract<HypervisorAdapter> {
    private final SimulatedCloud cloud = cloud(VirtualClock.at(T0));

    @Override
    protected HypervisorAdapter newHypervisor(Topology topology) {
      topology.hosts().forEach(cloud::addHost);
      topology.vms().forEach((vm, vcpus) -> cloud.addVm(vm, vcpus, List.of()));
      Map<HostId, List<HypervisorAdapter.Resident>> first = new java.util.HashMap<>();
      topology.hosts().keySet().forEach(h -> first.put(h, cloud.residents(h)));
      return overriding(
          HypervisorAdapter.class,
          cloud,
          "residents",
          args -> first.getOrDefault((HostId) args[0], List.of()));
    }

    @Override
    protected void causeLifecycleEvent(HypervisorAdapter hypervisor, AssetId vm) {
      cloud.suspend(vm);
      cloud.resume(vm);
    }
  }

  /** Runs every submission as a new job: a resubmission after a crash would patch twice. */
  static class ExecutorForgettingKeys extends PatchExecutorContract<PatchExecutor> {
    private final VirtualClock clock = VirtualClock.at(T0);
    private int calls;

    @Override
    protected PatchExecutor newExecutor() {
      SimulatedCloud cloud = cloud(clock).addHost(HostId.of("host-1"), 8);
      cloud.addVm(KitData.vm("vm-1", "acme", "host-1"), 2, List.of());
      return overriding(
          PatchExecutor.class,
          cloud,
          "submit",
          args -> {
            PatchJob job = (PatchJob) args[0];
            return cloud.submit(
                PatchJob.builder().from(job).key(job.key() + "#" + calls++).build());
          });
    }

    @Override
    protected PatchJob job(PatchExecutor executor, String key) {
      return PatchJob.builder()
          .key(key)
          .asset(AssetId.of("vm-1"))
          .addUpdates(PackageUpdate.of("openssl", "3.0.15-1~deb12u1"))
          .build();
    }

    @Override
    protected void letTimePass(PatchExecutor executor, Duration duration) {
      clock.advance(duration);
    }
  }

  /** Sends every notification to the accounts of every tenant. */
  static class NotifierBroadcasting extends NotifierContract<NotifierBroadcasting.Broadcaster> {
    static final class Broadcaster implements Notifier {
      final Map<TenantId, List<Notification>> inboxes = new HashMap<>();

      @Override
      public void deliver(Notification notification) {
        if (!inboxes.containsKey(notification.tenant())) {
          throw new PatchException("no accounts for " + notification.tenant());
        }
        inboxes.values().forEach(inbox -> inbox.add(notification));
      }
    }

    @Override
    protected Broadcaster newNotifier() {
      Broadcaster b = new Broadcaster();
      b.inboxes.put(FIRST, new ArrayList<>());
      b.inboxes.put(SECOND, new ArrayList<>());
      return b;
    }

    @Override
    protected List<Notifier.Notification> received(Broadcaster notifier, TenantId tenant) {
      return notifier.inboxes.getOrDefault(tenant, List.of());
    }
  }

  /**
   * Classifies its failures, but calls a refusal transient: the engine would retry a refused
   * notification until its deadline.
   */
  static class NotifierRetryingRefusals
      extends NotifierContract<NotifierRetryingRefusals.Refusing> {
    /** A failure that says whether it is permanent. */
    static final class Classified extends PatchException implements Notifier.Failure {
      private static final long serialVersionUID = 1L;
      private final boolean permanent;

      Classified(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
      }

      @Override
      public boolean permanent() {
        return permanent;
      }
    }

    static final class Refusing implements Notifier {
      final Map<TenantId, List<Notification>> inboxes = new HashMap<>();
      boolean refuseNext;

      @Override
      public void deliver(Notification notification) {
        List<Notification> inbox = inboxes.get(notification.tenant());
        if (inbox == null) {
          throw new Classified("no accounts for " + notification.tenant(), true);
        }
        if (refuseNext) {
          refuseNext = false;
          throw new Classified("550 recipient refused (but called transient)", false);
        }
        inbox.add(notification);
      }
    }

    @Override
    protected Refusing newNotifier() {
      Refusing r = new Refusing();
      r.inboxes.put(FIRST, new ArrayList<>());
      r.inboxes.put(SECOND, new ArrayList<>());
      return r;
    }

    @Override
    protected List<Notifier.Notification> received(Refusing notifier, TenantId tenant) {
      return notifier.inboxes.getOrDefault(tenant, List.of());
    }

    @Override
    protected boolean refuseNextDelivery(Refusing notifier) {
      notifier.refuseNext = true;
      return true;
    }
  }

  /** Numbers entries from 1: replay would misplace every event by one. */
  static class JournalNumberingFromOne extends JournalContract<Journal> {
    @Override
    protected Journal newJournal() {
      return new Journal() {
        private final List<JournalEntry> entries = new ArrayList<>();

        @Override
        public List<JournalEntry> append(List<JournalEntry.Draft> drafts) {
          List<JournalEntry> out = new ArrayList<>();
          for (JournalEntry.Draft d : drafts) {
            out.add(d.at(entries.size() + out.size() + 1));
          }
          entries.addAll(out);
          return out;
        }

        @Override
        public List<JournalEntry> readAll() {
          return List.copyOf(entries);
        }

        @Override
        public long size() {
          return entries.size();
        }
      };
    }
  }

  /** Keeps the first bundle of a record: a re-closed record would keep stale evidence. */
  static class StoreKeepingTheFirst extends EvidenceStoreContract<StoreKeepingTheFirst.Store> {
    static final class Store implements EvidenceStore {
      final Map<TrackingId, EvidenceBundle> bundles = new HashMap<>();

      @Override
      public void store(EvidenceBundle bundle) {
        bundles.putIfAbsent(bundle.record(), bundle);
      }
    }

    @Override
    protected Store newStore() {
      return new Store();
    }

    @Override
    protected Optional<EvidenceStore.EvidenceBundle> stored(Store store, TrackingId record) {
      return Optional.ofNullable(store.bundles.get(record));
    }
  }
}
