package org.cloudpatch.scheduling.window;

/**
 * A schedule expression that cannot be read; its message names the grammar, the field and the
 * 1-based column (or JSON pointer) of the offending text. For example {@code 0 12 32 * *} gives
 * {@code cron: field 3 (day-of-month) "32" at column 6: out of range 1-31}.
 */
public final class InvalidScheduleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final int column;

  InvalidScheduleException(String grammar, String field, int column, String token, String reason) {
    super(
        grammar
            + ": "
            + field
            + (token.isEmpty() ? "" : " \"" + token + "\"")
            + (column > 0 ? " at column " + column : "")
            + ": "
            + reason);
    this.field = field;
    this.column = column;
  }

  /** The field the error is in, as the message names it (e.g. {@code field 3 (day-of-month)}). */
  public String field() {
    return field;
  }

  /** The 1-based column of the offending text in the expression, or 0 where there is none. */
  public int column() {
    return column;
  }
}
