package org.cloudpatch.core.asset;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cloudpatch.core.AssetId;
import org.immutables.value.Value;

/** What one asset had installed when it was observed, and where the observation came from. */
@Value.Immutable
@JsonSerialize(as = ImmutableInventory.class)
@JsonDeserialize(as = ImmutableInventory.class)
public interface Inventory {
  /** The asset observed. */
  AssetId asset();

  /** Its platform when observed. */
  Platform platform();

  /** When it was observed. */
  Instant observedAt();

  /** Where the observation came from, e.g. {@code dpkg-status:/var/lib/dpkg/status}. */
  String source();

  /** The installed packages, in the order the source listed them. */
  List<InstalledPackage> packages();

  /** The installed binary package of that name, if any. */
  default Optional<InstalledPackage> find(String name) {
    return packages().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** A builder. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Inventory}. */
  final class Builder extends ImmutableInventory.Builder {}
}
