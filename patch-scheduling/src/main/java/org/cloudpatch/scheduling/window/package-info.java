/**
 * Recurring maintenance windows and how they land on the clocks of real time zones: {@link
 * org.cloudpatch.scheduling.window.WeeklyWindow}, and {@link
 * org.cloudpatch.scheduling.window.RecurringWindow} for the schedules users write (RRULE, Unix and
 * AWS cron, Azure's recurEvery, GCP's recurring schedules). A schedule here has no zone of its own:
 * it yields {@link org.cloudpatch.core.rollout.MaintenanceWindow} occurrences in whichever zone it
 * is asked about, moving a start in a DST gap forward by the gap, taking the earlier offset in an
 * overlap, and counting durations in elapsed time.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.scheduling.window;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
