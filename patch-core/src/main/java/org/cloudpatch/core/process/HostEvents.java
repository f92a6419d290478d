package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;

/**
 * The events of host remediation (issue 13): a host to patch, a round of hosts drained together,
 * each host effect (maintenance mode on, a live migration, the host patch, maintenance mode off)
 * requested under its key, then confirmed or failed; the host's patch level before and after its
 * patch, verified or not; a host skipped with its reason, or its drain abandoned and planned again.
 * Written and read like every {@link ProcessEvent}.
 */
sealed interface HostEvents extends ProcessEvent {
  /** The effects of host remediation, in the order a host goes through them. */
  enum HostStep {
    /** Maintenance mode on. */
    ENTER("host.enter", "host.maintenance.entered"),
    /** One live migration off a drained host. */
    MIGRATE("host.migrate", "host.vm.migrated"),
    /** The host patch, on an empty host in maintenance mode. */
    PATCH("host.patch", "host.patched"),
    /** Maintenance mode off. */
    EXIT("host.exit", "host.maintenance.exited");

    final String prefix;
    final String confirmed;

    HostStep(String prefix, String confirmed) {
      this.prefix = prefix;
      this.confirmed = confirmed;
    }
  }

  /** A live migration of a round's plan. */
  record Migration(AssetId vm, HostId from, HostId to) {}

  /** The host application asked for a host to be patched. */
  @Journaled("host.remediation.requested")
  record HostRemediationRequested(HostId host, String reason) implements HostEvents {}

  /**
   * The planner's next step: these hosts enter maintenance mode together and these migrations, in
   * order, drain them.
   */
  @Journaled("host.round.planned")
  record HostRoundPlanned(String round, List<HostId> hosts, List<Migration> migrations)
      implements HostEvents {}

  /** A host is left unpatched, with the reason; it is not tried again unless asked again. */
  @Journaled("host.skipped")
  record HostSkipped(HostId host, String reason) implements HostEvents {}

  /**
   * A round's drain of the host stopped (a migration failed, or a VM is still on it): the host goes
   * back to the hosts to plan, leaving maintenance mode first.
   */
  @Journaled("host.drain.abandoned")
  record HostDrainAbandoned(HostId host, String reason) implements HostEvents {}

  /**
   * The host's patch level just before its patch is requested (empty if the hypervisor reports
   * none): what the level after the patch is compared with.
   */
  @Journaled("host.level.read")
  record HostLevelRead(HostId host, Optional<String> level) implements HostEvents {}

  /**
   * After its patch the host reports a patch level other than before (or, on a hypervisor that
   * reports none, the patch's confirmation is trusted): it may return to service.
   */
  @Journaled("host.patch.verified")
  record HostPatchVerified(HostId host, Optional<String> level) implements HostEvents {}

  /**
   * After its patch the host still reports the level it had: it stays in maintenance mode, out of
   * service and empty, for an operator; it no longer counts against the maintenance limit.
   */
  @Journaled("host.patch.unverified")
  record HostPatchUnverified(HostId host, String reason) implements HostEvents {}

  /** A host effect requested under its key, before the hypervisor is called. */
  @Journaled({
    "host.enter.requested",
    "host.migrate.requested",
    "host.patch.requested",
    "host.exit.requested"
  })
  record HostEffectRequested(
      HostStep step,
      String key,
      HostId host,
      Optional<AssetId> vm,
      Optional<HostId> target,
      Instant deadline)
      implements HostEvents {
    @Override
    public String type() {
      return step.prefix + ".requested";
    }

    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }

  /** The hypervisor confirmed a host effect under its key. */
  @Journaled({
    "host.maintenance.entered",
    "host.vm.migrated",
    "host.patched",
    "host.maintenance.exited"
  })
  record HostEffectConfirmed(HostStep step, String key, HostId host, Optional<AssetId> vm)
      implements HostEvents {
    @Override
    public String type() {
      return step.confirmed;
    }

    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }

  /** A host effect's call failed; it is retried with backoff under its key, or given up. */
  @Journaled({"host.enter.failed", "host.migrate.failed", "host.patch.failed", "host.exit.failed"})
  record HostEffectFailed(
      HostStep step, String key, HostId host, Optional<AssetId> vm, String reason)
      implements HostEvents {
    @Override
    public String type() {
      return step.prefix + ".failed";
    }

    @Override
    public Optional<AssetId> asset() {
      return vm;
    }
  }
}
