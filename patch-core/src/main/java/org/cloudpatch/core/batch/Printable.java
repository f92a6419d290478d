package org.cloudpatch.core.batch;

/**
 * Text from an input (a file name, an archive entry, a package name) made safe to print on a
 * terminal or in a log line: control characters and invisible formatting characters are written as
 * escapes, so that a name cannot move the cursor, recolour the terminal, fake a new log line or
 * reverse the text around it.
 */
public final class Printable {
  private Printable() {}

  /**
   * {@code text} with every control character (C0, DEL, C1), format character (bidirectional
   * overrides, zero-width characters), line or paragraph separator and lone surrogate written as
   * {@code \n}, {@code \r}, {@code \t}, {@code \xNN} or {@code \}{@code uNNNN}; other characters,
   * the backslash included, are kept. Text that needs no escape is returned as it is.
   */
  public static String escape(CharSequence text) {
    int i = 0;
    while (i < text.length() && !needsEscape(text, i)) {
      i++;
    }
    if (i == text.length()) {
      return text.toString();
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    sb.append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!needsEscape(text, i)) {
        sb.append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x100) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  private static boolean needsEscape(CharSequence text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
