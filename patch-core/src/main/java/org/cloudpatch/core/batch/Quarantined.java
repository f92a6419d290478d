package org.cloudpatch.core.batch;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.immutables.value.Value;

/**
 * A record that was not accepted, with where it came from and why.
 *
 * <p>{@link #describe()} reads {@code source:position: reason}, the way compilers report errors.
 */
@Value.Immutable
@JsonSerialize(as = ImmutableQuarantined.class)
@JsonDeserialize(as = ImmutableQuarantined.class)
public interface Quarantined {
  /** The input: a file path, an archive entry ({@code archive.zip!/entry.json}) or a feed name. */
  @Value.Parameter
  String source();

  /** Where in the input: {@code line 12}, a JSON pointer such as {@code /affected/0/ranges}. */
  @Value.Parameter
  String position();

  /** Why it was rejected, in words a user can act on. */
  @Value.Parameter
  String reason();

  /** A quarantined record. */
  static Quarantined of(String source, String position, String reason) {
    return ImmutableQuarantined.of(source, position, reason);
  }

  /**
   * {@code source:position: reason}, safe to print: control and formatting characters that came
   * from the input (a file or entry name, a quoted line) are escaped ({@link Printable#escape}).
   */
  default String describe() {
    return Printable.escape(source() + ":" + position() + ": " + reason());
  }
}
