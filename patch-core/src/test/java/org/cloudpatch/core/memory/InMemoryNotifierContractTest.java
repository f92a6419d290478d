package org.cloudpatch.core.memory;

import java.util.List;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.spi.Notifier.Notification;
import org.cloudpatch.core.testkit.NotifierContract;

class InMemoryNotifierContractTest extends NotifierContract<InMemoryNotifier> {
  @Override
  protected InMemoryNotifier newNotifier() {
    return InMemoryNotifier.create()
        .register(FIRST, List.of(account(FIRST)))
        .register(SECOND, List.of(account(SECOND)));
  }

  /** What reached the tenant's own account, whatever tenant the notification named. */
  @Override
  protected List<Notification> received(InMemoryNotifier notifier, TenantId tenant) {
    return notifier.deliveries().stream()
        .filter(d -> d.accounts().contains(account(tenant)))
        .map(InMemoryNotifier.Delivery::notification)
        .toList();
  }

  private static String account(TenantId tenant) {
    return "secops@" + tenant + ".example";
  }
}
