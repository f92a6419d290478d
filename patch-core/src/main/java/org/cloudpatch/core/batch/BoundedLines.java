package org.cloudpatch.core.batch;

import java.io.IOException;
import java.io.Reader;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The lines of a text input, read under {@link ReadLimits}: no line and no input is held in memory
 * beyond its bound, whatever the input is (a file of one 300 MB line, {@code /dev/zero}).
 *
 * <p>Lines end at {@code \n}, {@code \r\n} or {@code \r}, as {@link java.io.BufferedReader} has it.
 * A line longer than {@link ReadLimits#maxLineLength()} is read past, not kept, and reported by a
 * {@link ReadLimitException} that lets reading go on with the next line; an input longer than
 * {@link ReadLimits#maxDocumentBytes()} characters ends with one that does not. Not thread-safe.
 */
public final class BoundedLines {
  private final Reader in;
  private final String source;
  private final ReadLimits limits;
  private final char[] buffer = new char[8192];
  private int position;
  private int length;
  private long consumed;
  private int lineNumber;
  private boolean ended;

  private BoundedLines(Reader in, String source, ReadLimits limits) {
    this.in = in;
    this.source = source;
    this.limits = limits;
  }

  /**
   * Lines of {@code in}, which is not closed.
   *
   * @param source what to call the input in quarantine records; never null
   */
  public static BoundedLines of(Reader in, String source, ReadLimits limits) {
    return new BoundedLines(
        Objects.requireNonNull(in, "in"),
        Objects.requireNonNull(source, "source"),
        Objects.requireNonNull(limits, "limits"));
  }

  /** The number of the line {@link #next()} returned or reported last; 0 before the first. */
  public int lineNumber() {
    return lineNumber;
  }

  /**
   * The next line without its terminator, or null at the end of the input.
   *
   * @throws ReadLimitException when the line or the input is longer than its bound; after one that
   *     {@linkplain ReadLimitException#endsInput() ends the input}, this returns null
   * @throws IOException when reading fails
   */
  public @Nullable String next() throws IOException {
    if (ended) {
      return null;
    }
    int maxLine = limits.maxLineLength();
    StringBuilder line = new StringBuilder(Math.min(maxLine, 128));
    boolean any = false;
    boolean overlong = false;
    while (true) {
      if (position == length && !fill()) {
        ended = true;
        if (!any) {
          return null;
        }
        break;
      }
      char c = buffer[position++];
      any = true;
      if (++consumed > limits.maxDocumentBytes()) {
        ended = true;
        throw new ReadLimitException(
            Quarantined.of(
                source,
                "line " + (lineNumber + 1),
                "the input is longer than "
                    + limits.maxDocumentBytes()
                    + " characters (ReadLimits.maxDocumentBytes); the rest is not read"),
            true);
      }
      if (c == '\n') {
        break;
      }
      if (c == '\r') {
        if ((position < length || fill()) && buffer[position] == '\n') {
          position++;
          consumed++;
        }
        break;
      }
      if (line.length() < maxLine) {
        line.append(c);
      } else {
        overlong = true;
      }
    }
    lineNumber++;
    if (overlong) {
      throw new ReadLimitException(
          Quarantined.of(
              source,
              "line " + lineNumber,
              "line longer than " + maxLine + " characters (ReadLimits.maxLineLength)"),
          false);
    }
    return line.toString();
  }

  private boolean fill() throws IOException {
    int n;
    do {
      n = in.read(buffer, 0, buffer.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    position = 0;
    length = n;
    return true;
  }
}
