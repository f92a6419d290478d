package org.cloudpatch.audit.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.asset.Platform;
import org.cloudpatch.core.process.RiskItem;
import org.cloudpatch.core.process.TrackingItem;
import org.cloudpatch.core.process.TrackingItem.ItemState;
import org.cloudpatch.core.process.TrackingRecord;
import org.cloudpatch.core.rollout.ChangeRequest;
import org.cloudpatch.core.rollout.MaintenanceWindow;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Assessment;
import org.cloudpatch.core.severity.Priority;

/**
 * Generated compliance inputs of any size, from a seed: tenants, VMs (some suspended, off, held or
 * reverted), advisories with assessments, tracking records per tenant and resolver group with items
 * in every state, risk items (some expired), notifications, changes, a daily history and an
 * inventory check that agrees with the records.
 */
final class Fleets {
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant AS_OF = START.plus(Duration.ofDays(30));
  static final List<String> GROUPS = List.of("team-web", "team-app", "team-db");

  private Fleets() {}

  static ComplianceInput input(long seed, int vms, List<TenantId> tenants) {
    return input(seed, vms, tenants, (t, i) -> AssetId.of(String.format("vm-%05d", i)));
  }

  static ComplianceInput input(
      long seed, int vms, List<TenantId> tenants, BiFunction<TenantId, Integer, AssetId> ids) {
    SplittableRandom random = new SplittableRandom(seed);
    List<AssetFacts> assets = new ArrayList<>();
    Map<AssetId, String> group = new TreeMap<>();
    for (int i = 1; i <= vms; i++) {
      TenantId tenant = tenants.get(i % tenants.size());
      double roll = random.nextDouble();
      Asset.PowerState power =
          roll < 0.02
              ? Asset.PowerState.SUSPENDED
              : roll < 0.03 ? Asset.PowerState.STOPPED : Asset.PowerState.RUNNING;
      AssetId id = ids.apply(tenant, i);
      assets.add(
          AssetFacts.builder()
              .asset(
                  Asset.builder()
                      .id(id)
                      .tenant(tenant)
                      .zone(ZoneId.of("Europe/Berlin"))
                      .platform(Platform.parse("Debian:12"))
                      .powerState(power)
                      .build())
              .heldForCatchUp(random.nextDouble() < 0.01)
              .reverted(random.nextDouble() < 0.01)
              .build());
      group.put(id, GROUPS.get(random.nextInt(GROUPS.size())));
    }
    ComplianceInput.Builder in = ComplianceInput.builder().asOf(AS_OF).assets(assets);
    Map<AssetId, Set<AdvisoryId>> stillAffected = new TreeMap<>();
    int risks = 0;
    int changes = 0;
    int records = 0;
    for (int a = 0; a < 8; a++) {
      AdvisoryId advisory = AdvisoryId.of(String.format("DSA-%d-1", 5600 + a));
      Priority priority = Priority.values()[a % 4];
      Instant published = START.plus(Duration.ofHours(37L * a + 5));
      Instant due = published.plus(Duration.ofDays(new int[] {2, 7, 14, 30}[a % 4]));
      double score = 4.0 + (a * 0.7) % 6;
      in.addAssessments(
          Assessment.builder()
              .advisory(advisory)
              .score(Math.round(score * 10) / 10.0)
              .vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
              .priority(priority)
              .due(due)
              .rule("CVSS band -> " + priority)
              .build());
      double share = 0.2 + 0.1 * (a % 5);
      for (TenantId tenant : tenants) {
        for (String g : GROUPS) {
          Map<AssetId, TrackingItem> items = new TreeMap<>();
          for (AssetFacts f : assets) {
            AssetId id = f.asset().id();
            if (!f.asset().tenant().equals(tenant)
                || !group.get(id).equals(g)
                || random.nextDouble() >= share) {
              continue;
            }
            TrackingId rid = TrackingId.of(String.format("TR-%05d", records + 1));
            double s = random.nextDouble();
            ItemState state;
            int attempts = 1;
            if (f.asset().powerState() != Asset.PowerState.RUNNING) {
              state = ItemState.DEFERRED;
              attempts = 0;
            } else if (s < 0.85) {
              state = ItemState.VERIFIED;
            } else if (s < 0.90) {
              state = ItemState.RISK_ACCEPTED;
              risks++;
              Instant opened = published.plus(Duration.ofDays(3));
              in.addRisks(
                  RiskItem.builder()
                      .id(String.format("RISK-%04d", risks))
                      .record(rid)
                      .asset(id)
                      .addAdvisories(advisory)
                      .owner(g + "@" + tenant.value())
                      .reason("patch failed twice, rolled back to the snapshot; vendor, fix it")
                      .opened(opened)
                      // Every fourth exception has expired by the report's instant.
                      .expires(opened.plus(Duration.ofDays(risks % 4 == 0 ? 1 : 60)))
                      .build());
            } else if (s < 0.95) {
              state = ItemState.PLANNED;
              attempts = s < 0.93 ? 1 : 0;
            } else {
              state = ItemState.AFFECTED;
              attempts = 0;
            }
            if (state != ItemState.VERIFIED) {
              stillAffected.computeIfAbsent(id, x -> new HashSet<>()).add(advisory);
            }
            items.put(
                id,
                TrackingItem.builder()
                    .asset(id)
                    .state(state)
                    .attempts(attempts)
                    .verifiedVersion(
                        state == ItemState.VERIFIED
                            ? java.util.Optional.of("3.0.15-1~deb12u1")
                            : java.util.Optional.empty())
                    .note(state == ItemState.DEFERRED ? "not running in its window" : "")
                    .build());
          }
          if (items.isEmpty()) {
            continue;
          }
          records++;
          TrackingId rid = TrackingId.of(String.format("TR-%05d", records));
          boolean settled = items.values().stream().allMatch(i -> i.state().isSettled());
          boolean risky =
              items.values().stream().anyMatch(i -> i.state() == ItemState.RISK_ACCEPTED);
          Instant opened = published.plus(Duration.ofMinutes(10));
          TrackingRecord.Status status =
              !settled
                  ? TrackingRecord.Status.OPEN
                  : risky ? TrackingRecord.Status.RISK_ACCEPTED : TrackingRecord.Status.CLOSED;
          TrackingRecord.Builder rb =
              TrackingRecord.builder()
                  .id(rid)
                  .advisory(advisory)
                  .tenant(tenant)
                  .resolverGroup(g)
                  .priority(priority)
                  .due(due)
                  .timingMode(TimingMode.LOCAL_TIME)
                  .opened(opened)
                  .status(status)
                  .items(items);
          if (status != TrackingRecord.Status.OPEN) {
            rb.closed(opened.plus(Duration.ofHours(6 + random.nextInt(24 * 20))));
          }
          in.addRecords(rb.build());
          in.addNotifications(
              NotificationFact.builder()
                  .tenant(tenant)
                  .advisory(advisory)
                  .assets(items.keySet())
                  .recipients(1)
                  .at(opened.plus(Duration.ofMinutes(5)))
                  .build());
          changes++;
          Instant window = opened.plus(Duration.ofDays(2));
          in.addChanges(
              ChangeFact.builder()
                  .id(String.format("CR%07d", changes))
                  .type(
                      priority == Priority.P1
                          ? ChangeRequest.ChangeType.EMERGENCY
                          : ChangeRequest.ChangeType.STANDARD)
                  .window(
                      MaintenanceWindow.of(
                          window, window.plus(Duration.ofHours(4)), ZoneId.of("UTC")))
                  .addAdvisories(advisory)
                  .scope(items.keySet())
                  .approval(ChangeRequest.Approval.APPROVED)
                  .closed(status != TrackingRecord.Status.OPEN)
                  .build());
        }
      }
    }
    for (int d = 0; d <= 30; d++) {
      for (TenantId t : tenants) {
        int n = (int) assets.stream().filter(f -> f.asset().tenant().equals(t)).count();
        double dip = d < 3 ? 1 : d < 12 ? 0.55 + 0.04 * (d - 3) : 0.93;
        in.addHistory(
            ComplianceSample.of(
                START.plus(Duration.ofDays(d)), t, n, (int) Math.min(n, Math.round(n * dip))));
      }
    }
    return in.inventoryCheckedAt(AS_OF).stillAffected(stillAffected).build();
  }

  /**
   * The input with a cluster of {@code hosts} hosts (at least three) added: VMs placed round robin
   * over them; the first host skipped, blocked by its first VM, which the reason names; the second
   * left unverified; every other host drained (each of its VMs moved to the next host) and patched.
   */
  static ComplianceInput withHosts(ComplianceInput in, int hosts) {
    List<List<AssetId>> on = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      on.add(new ArrayList<>());
    }
    for (int i = 0; i < in.assets().size(); i++) {
      on.get(i % hosts).add(in.assets().get(i).asset().id());
    }
    ComplianceInput.Builder out = ComplianceInput.builder().from(in);
    for (int h = 0; h < hosts; h++) {
      HostId id = host(h);
      Instant entered = START.plus(Duration.ofDays(10)).plus(Duration.ofHours(h));
      HostEvacuationFact.Builder b = HostEvacuationFact.builder().host(id);
      if (h == 0) {
        AssetId blocker = on.get(0).get(0);
        b.outcome(HostEvacuationFact.Outcome.SKIPPED)
            .addBlockingVms(blocker)
            .reason("runs VMs that cannot be live-migrated: " + blocker.value() + " (suspended)");
      } else {
        b.enteredMaintenance(entered);
        int k = 0;
        for (AssetId vm : on.get(h)) {
          b.addMigrations(
              HostEvacuationFact.Migration.of(
                  entered.plus(Duration.ofSeconds(30L * ++k)), vm, host((h + 1) % hosts)));
        }
        Instant patched = entered.plus(Duration.ofMinutes(30));
        b.patched(patched);
        if (h == 1) {
          b.outcome(HostEvacuationFact.Outcome.UNVERIFIED)
              .reason("the hypervisor still reports patch level 7.0.3-a after the patch");
        } else {
          b.outcome(HostEvacuationFact.Outcome.PATCHED)
              .exitedMaintenance(patched.plus(Duration.ofMinutes(5)));
        }
      }
      out.addHosts(b.build());
    }
    return out.build();
  }

  static HostId host(int i) {
    return HostId.of(String.format("host-%02d", i));
  }
}
