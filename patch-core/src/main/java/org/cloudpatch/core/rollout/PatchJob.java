package org.cloudpatch.core.rollout;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/**
 * What a patch executor is asked to do on one asset. Applying a job twice has the effect of
 * applying it once: a package already at or above its target is left alone.
 */
@Value.Immutable
@JsonSerialize(as = ImmutablePatchJob.class)
@JsonDeserialize(as = ImmutablePatchJob.class)
public interface PatchJob {
  /** A key unique per attempt, so that an executor can deduplicate a resubmission. */
  String key();

  /** The asset. */
  AssetId asset();

  /** The packages to update. */
  List<PackageUpdate> updates();

  /**
   * The SAME_INSTANT group the job belongs to, if one: its members must be patched at one instant,
   * and an executor (or a simulated cloud's ground truth) can tell them apart by it.
   */
  Optional<String> group();

  /** Whether the asset may be rebooted if a package needs it. */
  @Value.Default
  default RebootPolicy rebootPolicy() {
    return RebootPolicy.IF_REQUIRED;
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PatchJob}. */
  final class Builder extends ImmutablePatchJob.Builder {}

  /** Whether a patch job may reboot its asset. */
  enum RebootPolicy {
    /** Reboot when a package requires it. */
    IF_REQUIRED,
    /** Never reboot; a package that needs one is reported as pending reboot. */
    NEVER,
    /** Always reboot after applying. */
    ALWAYS
  }
}
