package org.cloudpatch.core.process;

import java.util.Objects;
import java.util.function.Function;
import org.cloudpatch.core.asset.Asset;

/** Stock rules that assign an asset to the group that resolves its tracking records. */
public final class ResolverGroups {
  private ResolverGroups() {}

  /**
   * The text after {@code prefix} of the asset's first tag (in sorted order) that starts with it,
   * else {@code fallback}.
   */
  public static Function<Asset, String> byTagPrefix(String prefix, String fallback) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(fallback, "fallback");
    return asset ->
        asset.tags().stream()
            .filter(t -> t.startsWith(prefix) && t.length() > prefix.length())
            .sorted()
            .findFirst()
            .map(t -> t.substring(prefix.length()))
            .orElse(fallback);
  }
}
