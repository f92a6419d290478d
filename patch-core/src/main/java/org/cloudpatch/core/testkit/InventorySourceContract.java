package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.spi.InventoryChanges;
import org.cloudpatch.core.spi.InventorySource;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link InventorySource}: every managed asset, sorted by id, and an inventory
 * per asset that says what is installed now, because the engine verifies patches by re-inventory.
 *
 * <p>A vendor extends this class and implements {@link #newSource}, which sets up the kit's fleet
 * (three VMs of two tenants, all placed on host {@code kit-host}) in its test environment. A source
 * with a change feed ({@link InventorySource#changes}) also overrides {@link #install} and {@link
 * #expireCursors}, so that the feed's clauses run; without them they are skipped.
 *
 * @param <S> the inventory source type under test
 */
public abstract class InventorySourceContract<S extends InventorySource> {
  /** For subclasses. */
  protected InventorySourceContract() {}

  /**
   * One asset of the kit's fleet and what it has installed.
   *
   * @param asset the asset, with tenant and host
   * @param installed its installed packages
   */
  public record ManagedAsset(Asset asset, List<InstalledPackage> installed) {
    /** Copies the list; fails fast on null. */
    public ManagedAsset {
      Objects.requireNonNull(asset, "asset");
      installed = List.copyOf(installed);
    }
  }

  /**
   * A new source that manages exactly these assets with these packages; called once per test.
   *
   * @param fleet the assets, in no particular order
   * @return the source under test, never null
   */
  protected abstract S newSource(List<ManagedAsset> fleet);

  /**
   * Changes what one of the kit's assets has installed, as the world would (a patch landed, a
   * snapshot reverted), so that the change feed clauses can watch for it. The default cannot and
   * answers false: those clauses are then skipped.
   *
   * @return whether the change was made
   */
  protected boolean install(S source, AssetId asset, List<InstalledPackage> installed) {
    return false;
  }

  /**
   * Makes every cursor of {@link InventorySource#changes} given so far expire, as a feed's
   * retention does. The default cannot and answers false: the expiry clause is then skipped.
   *
   * @return whether the cursors expired
   */
  protected boolean expireCursors(S source) {
    return false;
  }

  private static final List<ManagedAsset> FLEET =
      List.of(
          new ManagedAsset(
              KitData.vm("kit-vm-b", "kit-tenant-1", "kit-host"),
              List.of(InstalledPackage.of("openssl", "3.0.11-1~deb12u2"))),
          new ManagedAsset(
              KitData.vm("kit-vm-a", "kit-tenant-2", "kit-host"),
              List.of(
                  InstalledPackage.of("bash", "5.2.15-2+b2"),
                  InstalledPackage.of("openssl", "3.0.15-1~deb12u1"))),
          new ManagedAsset(KitData.vm("kit-vm-c", "kit-tenant-1", "kit-host"), List.of()));

  /** {@link InventorySource#assets()} lists every managed asset once, sorted by id. */
  @Test
  public void assets_areEveryManagedAssetSortedById() {
    S source = newSource(FLEET);
    List<String> ids = source.assets().stream().map(a -> a.id().value()).toList();
    assertEquals(List.of("kit-vm-a", "kit-vm-b", "kit-vm-c"), ids);
  }

  /** An asset keeps its tenant: notifications are addressed by it. */
  @Test
  public void assets_keepTheirTenant() {
    S source = newSource(FLEET);
    for (Asset a : source.assets()) {
      Asset given =
          FLEET.stream()
              .filter(m -> m.asset().id().equals(a.id()))
              .findFirst()
              .orElseThrow()
              .asset();
      assertEquals(given.tenant(), a.tenant(), "tenant of " + a.id());
    }
  }

  /** The inventory of a managed asset names it and lists what it has installed. */
  @Test
  public void inventory_ofManagedAsset_listsWhatIsInstalled() {
    S source = newSource(FLEET);
    for (ManagedAsset m : FLEET) {
      Optional<Inventory> inventory = source.inventory(m.asset().id());
      assertTrue(inventory.isPresent(), "no inventory of " + m.asset().id());
      assertEquals(m.asset().id(), inventory.get().asset());
      assertEquals(
          m.installed().stream().map(p -> p.name() + "=" + p.version()).sorted().toList(),
          inventory.get().packages().stream()
              .map(p -> p.name() + "=" + p.version())
              .sorted()
              .toList(),
          "packages of " + m.asset().id());
    }
  }

  /** Observing again never goes back in time: a re-inventory is at least as recent. */
  @Test
  public void inventory_observedAgain_isNotOlder() {
    S source = newSource(FLEET);
    AssetId id = FLEET.get(0).asset().id();
    Inventory first = source.inventory(id).orElseThrow();
    Inventory again = source.inventory(id).orElseThrow();
    assertFalse(again.observedAt().isBefore(first.observedAt()), "re-inventory is older");
  }

  /** An asset the source does not manage has no inventory (empty, not an exception). */
  @Test
  public void inventory_ofUnknownAsset_isEmpty() {
    S source = newSource(FLEET);
    assertEquals(Optional.empty(), source.inventory(AssetId.of("kit-vm-unknown")));
  }

  /**
   * {@link InventorySource#changes} without a cursor starts the feed: it names no asset, and either
   * vouches (with a cursor) or says why it cannot; it never throws for an unsupported feed.
   */
  @Test
  public void changes_withoutCursor_namesNoAssetAndStarts() {
    S source = newSource(FLEET);
    InventoryChanges start = source.changes(Optional.empty());
    assertEquals(Set.of(), start.touched(), "a start names no asset");
    assertEquals(start.vouched(), start.next().isPresent());
  }

  /**
   * Never a missed change: every asset whose inventory changed after a cursor is named by the
   * answer from it, and a read after the answer sees the change.
   */
  @Test
  public void changes_sinceACursor_nameEveryAssetChangedSince() {
    S source = newSource(FLEET);
    InventoryChanges start = source.changes(Optional.empty());
    assumeTrue(start.vouched(), "the source keeps no change feed");
    AssetId a = FLEET.get(0).asset().id();
    AssetId b = FLEET.get(1).asset().id();
    assumeTrue(install(source, a, List.of(InstalledPackage.of("openssl", "3.0.17-1~deb12u2"))));
    assumeTrue(install(source, b, List.of(InstalledPackage.of("bash", "5.2.15-2+b8"))));
    InventoryChanges since = source.changes(start.next());
    assumeTrue(since.vouched(), "the feed could not vouch just now");
    assertTrue(since.touched().containsAll(Set.of(a, b)), "named " + since.touched());
    assertEquals(
        List.of("openssl=3.0.17-1~deb12u2"),
        source.inventory(a).orElseThrow().packages().stream()
            .map(p -> p.name() + "=" + p.version())
            .toList(),
        "a read after the answer sees the change");
  }

  /**
   * The next cursor goes on where the answer ended: a change after it is named from it, and a
   * change named once may be named again but is never lost.
   */
  @Test
  public void changes_fromTheNextCursor_nameTheChangesAfterIt() {
    S source = newSource(FLEET);
    InventoryChanges start = source.changes(Optional.empty());
    assumeTrue(start.vouched(), "the source keeps no change feed");
    AssetId a = FLEET.get(0).asset().id();
    AssetId c = FLEET.get(2).asset().id();
    assumeTrue(install(source, a, List.of(InstalledPackage.of("openssl", "3.0.17-1~deb12u2"))));
    InventoryChanges first = source.changes(start.next());
    assumeTrue(first.vouched(), "the feed could not vouch just now");
    assumeTrue(install(source, c, List.of(InstalledPackage.of("zlib1g", "1:1.2.13.dfsg-1"))));
    InventoryChanges second = source.changes(first.next());
    assumeTrue(second.vouched(), "the feed could not vouch just now");
    assertTrue(second.touched().contains(c), "named " + second.touched());
  }

  /**
   * A cursor the feed no longer knows about (expired, or never given) is answered "cannot vouch",
   * not with an exception and never with a partial answer that would hide a change.
   */
  @Test
  public void changes_fromAnExpiredCursor_cannotVouch() {
    S source = newSource(FLEET);
    InventoryChanges start = source.changes(Optional.empty());
    assumeTrue(start.vouched(), "the source keeps no change feed");
    AssetId a = FLEET.get(0).asset().id();
    assumeTrue(install(source, a, List.of(InstalledPackage.of("openssl", "3.0.17-1~deb12u2"))));
    assumeTrue(expireCursors(source), "the test environment cannot expire cursors");
    InventoryChanges since = source.changes(start.next());
    assertFalse(since.vouched(), "vouched for an expired cursor: " + since);
    assertEquals(Set.of(), since.touched());
    assertFalse(
        source.changes(Optional.of("kit-no-such-cursor")).vouched(),
        "vouched for a cursor it never gave");
  }

  /** Bad input: a null asset id fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void inventory_null_failsFast() {
    S source = newSource(FLEET);
    assertThrows(NullPointerException.class, () -> source.inventory(null));
  }
}
