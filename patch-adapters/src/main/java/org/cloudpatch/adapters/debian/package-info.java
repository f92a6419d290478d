/**
 * A Debian or Ubuntu system patched by apt and dpkg: {@link
 * org.cloudpatch.adapters.debian.DebianFleet} is the inventory source and the patch executor for
 * machines (or chroots and image folders) whose root directory this process can reach. What is
 * installed is always read back from the system's own dpkg database, never taken from apt's word.
 */
@NullMarked
package org.cloudpatch.adapters.debian;

import org.jspecify.annotations.NullMarked;
