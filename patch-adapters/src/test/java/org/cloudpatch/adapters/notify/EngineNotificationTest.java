package org.cloudpatch.adapters.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cloudpatch.adapters.notify.SmtpRelay.Fault;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.HostId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.advisory.AdvisoryReaders;
import org.cloudpatch.core.asset.Asset;
import org.cloudpatch.core.memory.InMemoryAdvisoryFeed;
import org.cloudpatch.core.memory.InMemoryChangeSystem;
import org.cloudpatch.core.memory.InMemoryEvidenceStore;
import org.cloudpatch.core.memory.InMemoryJournal;
import org.cloudpatch.core.memory.SimulatedCloud;
import org.cloudpatch.core.memory.VirtualClock;
import org.cloudpatch.core.process.PatchEngine;
import org.cloudpatch.core.rollout.RolloutPlan;
import org.cloudpatch.core.spi.JournalEntry;
import org.cloudpatch.inventory.format.DpkgStatusReader;
import org.cloudpatch.inventory.format.OsRelease;
import org.cloudpatch.inventory.match.OsvApplicability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine's notification step driving the e-mail notifier: two tenants' VMs affected by the same
 * real Debian advisories (the repository's {@code examples/}), GreenMail behind a relay that makes
 * the first connection fail. Each tenant's mail names its own assets only, the failure is journaled
 * with the server's reply, and the engine's retry under the same key delivers it.
 */
class EngineNotificationTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(Notifications.greenMail(ServerSetupTest.SMTP))
          .withPerMethodLifecycle(true);

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent().resolve("examples");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  @Test
  void engine_notifiesEachTenantOfItsOwnAssetsOnly_andRetriesATransientFailureUnderTheSameKey()
      throws Exception {
    VirtualClock clock = VirtualClock.at(Instant.parse("2026-03-02T00:00:00Z"));
    SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(42).build();
    cloud.addHost(HostId.of("host-1"), 64);
    Path debian = ROOT.resolve("debian12");
    var platform = OsRelease.read(debian.resolve("etc/os-release"));
    var packages = DpkgStatusReader.create().read(debian.resolve("var/lib/dpkg/status")).accepted();
    for (String vm : List.of("vm-acme-1", "vm-acme-2", "vm-globex-1")) {
      cloud.addVm(
          Asset.builder()
              .id(AssetId.of(vm))
              .tenant(vm.contains("acme") ? ACME : GLOBEX)
              .zone(ZoneId.of("Europe/Berlin"))
              .platform(platform)
              .host(HostId.of("host-1"))
              .build(),
          2,
          packages);
    }
    InMemoryAdvisoryFeed feed = InMemoryAdvisoryFeed.create("debian", clock);
    AdvisoryReaders.create().read(ROOT.resolve("advisories")).accepted().forEach(feed::publish);

    try (SmtpRelay relay = new SmtpRelay(MAIL.getSmtp().getPort(), null, false)) {
      relay.inject(Fault.GREETING_421);
      SmtpNotifier notifier =
          SmtpNotifier.builder()
              .host("127.0.0.1")
              .port(relay.port())
              .tls(SmtpNotifier.Tls.OPPORTUNISTIC)
              .from("patches@cloudpatch.example")
              .clock(clock)
              .recipients(ACME, List.of("secops@acme.example"))
              .recipients(GLOBEX, List.of("it@globex.example"))
              .build();
      InMemoryJournal journal = InMemoryJournal.create();
      PatchEngine engine =
          PatchEngine.builder()
              .clock(clock)
              .addFeed(feed)
              .inventorySource(cloud)
              .hypervisor(cloud)
              .executor(cloud)
              .changeSystem(InMemoryChangeSystem.create(clock, Duration.ofDays(1)))
              .notifier(notifier)
              .applicability(OsvApplicability.create())
              // Notification comes before rollout; no wave is needed to test it.
              .planner(request -> RolloutPlan.builder().build())
              .journal(journal)
              .evidenceStore(InMemoryEvidenceStore.create())
              .build();
      for (int i = 0; i < 12 * 3; i++) {
        engine.tick();
        clock.advance(Duration.ofMinutes(5));
      }

      List<JournalEntry> entries = journal.readAll();
      Set<String> queued = keys(entries, "notification.queued");
      Set<String> sent = keys(entries, "notification.sent");
      assertFalse(queued.isEmpty(), "the examples' advisories affect the VMs");
      assertEquals(queued, sent, "every queued notification was confirmed: nothing lost");
      List<JournalEntry> failed =
          entries.stream().filter(e -> e.type().equals("notification.failed")).toList();
      assertEquals(1, failed.size(), "the one refused connection");
      assertTrue(
          failed.get(0).data().get("reason").asText().contains("server replied 421 4.3.2"),
          failed.get(0).data().toString());

      MimeMessage[] acme = MAIL.getReceivedMessagesForDomain("acme.example");
      MimeMessage[] globex = MAIL.getReceivedMessagesForDomain("globex.example");
      assertEquals(queued.size(), acme.length + globex.length, "one mail per key, none twice");
      assertTrue(acme.length > 0 && globex.length > 0);
      for (MimeMessage m : acme) {
        String raw = SmtpNotifierTest.raw(m);
        assertTrue(raw.contains("vm-acme-"), raw);
        assertFalse(raw.contains("vm-globex"), "acme's mail names globex's VM:\n" + raw);
      }
      for (MimeMessage m : globex) {
        String raw = SmtpNotifierTest.raw(m);
        assertTrue(raw.contains("vm-globex-1"), raw);
        assertFalse(raw.contains("vm-acme"), "globex's mail names acme's VMs:\n" + raw);
      }
    }
  }

  private static Set<String> keys(List<JournalEntry> entries, String type) {
    Set<String> keys = new TreeSet<>();
    entries.stream()
        .filter(e -> e.type().equals(type))
        .forEach(e -> keys.add(e.data().get("key").asText()));
    return keys;
  }
}
