/**
 * The packages of an rpm-based root filesystem (Red Hat, Rocky Linux, AlmaLinux, SUSE), listed by
 * rpm itself: its database is SQLite, Berkeley DB or ndb, and only rpm reads every one of them
 * faithfully, so it is never parsed here.
 */
@NullMarked
package org.cloudpatch.adapters.rpm;

import org.jspecify.annotations.NullMarked;
