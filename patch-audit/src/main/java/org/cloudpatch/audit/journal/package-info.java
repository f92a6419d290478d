/**
 * The tamper-evident journal of wire format v1 (DESIGN §9, {@code docs/JOURNAL.md}): {@link
 * org.cloudpatch.audit.journal.FileJournal} appends hash-chained entries durably and recovers from
 * a torn last line, and {@link org.cloudpatch.audit.journal.JournalVerifier} checks a journal file
 * without changing it. The format is simple enough that a short script without this library can
 * check it too.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.audit.journal;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
