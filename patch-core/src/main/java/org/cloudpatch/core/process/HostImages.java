package org.cloudpatch.core.process;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.cloudpatch.core.process.StateImage.HostEffectImage;
import org.cloudpatch.core.process.StateImage.HostImage;
import org.cloudpatch.core.process.StateImage.InRoundImage;

/** The host remediation part of a {@link StateImage}: {@link HostWork} as values and back. */
final class HostImages {
  private HostImages() {}

  static HostImage of(HostWork w) {
    List<InRoundImage> round = new ArrayList<>();
    w.roundHosts.forEach(
        (h, r) ->
            round.add(
                new InRoundImage(
                    r.host,
                    r.reason,
                    r.abandoned,
                    r.drains,
                    r.phase,
                    r.patched,
                    r.leaving,
                    r.levelRead,
                    r.levelBefore,
                    r.verified)));
    List<HostEffectImage> effects = new ArrayList<>();
    w.effects.forEach(
        (k, e) -> effects.add(new HostEffectImage(k, e.request, e.failures, e.retryAt)));
    return new HostImage(
        new TreeMap<>(w.pending),
        w.round,
        round,
        List.copyOf(w.migrations),
        w.nextMigration,
        effects,
        List.copyOf(w.maintenance),
        List.copyOf(w.remediated),
        new TreeMap<>(w.skipped),
        new TreeMap<>(w.unverified),
        w.rounds);
  }

  /** Fills an empty {@link HostWork} with the image. */
  static void into(HostImage image, HostWork w) {
    w.pending.putAll(image.pending());
    w.round = image.round();
    for (InRoundImage i : image.roundHosts()) {
      HostWork.InRound r = new HostWork.InRound(i.host(), i.reason(), i.abandoned(), i.drains());
      r.phase = i.phase();
      r.patched = i.patched();
      r.leaving = i.leaving();
      r.levelRead = i.levelRead();
      r.levelBefore = i.levelBefore();
      r.verified = i.verified();
      w.roundHosts.put(i.host(), r);
    }
    w.migrations.addAll(image.migrations());
    w.nextMigration = image.nextMigration();
    for (HostEffectImage e : image.effects()) {
      HostWork.Effect effect = new HostWork.Effect(e.request(), e.retryAt());
      effect.failures = e.failures();
      w.effects.put(e.key(), effect);
    }
    w.maintenance.addAll(image.maintenance());
    w.remediated.addAll(image.remediated());
    w.skipped.putAll(image.skipped());
    w.unverified.putAll(image.unverified());
    w.rounds = image.rounds();
  }
}
