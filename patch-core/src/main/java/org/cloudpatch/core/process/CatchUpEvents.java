package org.cloudpatch.core.process;

import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.asset.LifecycleEvent;

/**
 * The events of catch-up: what the hypervisor reported about a VM's lifecycle, and a VM held from
 * its users and released once compliant. Written and read like every {@link ProcessEvent}.
 */
sealed interface CatchUpEvents extends ProcessEvent {
  /** The hypervisor reported a VM lifecycle event. */
  @Journaled({"vm.suspended", "vm.resumed", "vm.reverted", "vm.created"})
  record VmLifecycle(LifecycleEvent event, Optional<String> cursor) implements CatchUpEvents {
    @Override
    public String type() {
      return switch (event.kind()) {
        case SUSPENDED -> "vm.suspended";
        case RESUMED -> "vm.resumed";
        case REVERTED -> "vm.reverted";
        case CREATED_FROM_IMAGE -> "vm.created";
      };
    }

    @Override
    public Optional<AssetId> asset() {
      return Optional.of(event.asset());
    }
  }

  /**
   * A VM reverted to a snapshot: the patch level the snapshot holds (its recorded inventory, taken
   * at {@code takenAt}) lacks the fixes of these active advisories. Written before the VM is held;
   * catch-up then patches and verifies the VM as it really is.
   */
  @Journaled("catchup.snapshot-behind")
  record SnapshotBehind(
      AssetId vm, String snapshot, java.time.Instant takenAt, List<AdvisoryId> missing)
      implements CatchUpEvents {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** A VM is held from its users until it is caught up to the current baseline. */
  @Journaled("catchup.held")
  record CatchUpHeld(AssetId vm, String reason) implements CatchUpEvents {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }

  /** A held VM is compliant again and given back to its users. */
  @Journaled("catchup.released")
  record CatchUpReleased(AssetId vm, List<AdvisoryId> verified) implements CatchUpEvents {
    @Override
    public Optional<AssetId> asset() {
      return Optional.of(vm);
    }
  }
}
