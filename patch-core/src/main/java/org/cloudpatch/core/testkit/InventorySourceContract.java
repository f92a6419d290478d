package org.cloudpatch.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.InstalledPackage;
import org.cloudpatch.core.asset.Inventory;
import org.cloudpatch.core.spi.InventorySource;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link InventorySource}: every managed asset, sorted by id, and an inventory
 * per asset that says what is installed now, because the engine verifies patches by re-inventory.
 *
 * <p>A vendor extends this class and implements {@link #newSource}, which sets up the kit's fleet
 * (three VMs of two tenants, all placed on host {@code kit-host}) in its test environment.
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

  /** Bad input: a null asset id fails fast with {@link NullPointerException}. */
  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  public void inventory_null_failsFast() {
    S source = newSource(FLEET);
    assertThrows(NullPointerException.class, () -> source.inventory(null));
  }
}
