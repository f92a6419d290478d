/**
 * Readers of the files that say what a machine has installed and what it runs: the dpkg status
 * database, the apk installed database, rpm -qa output, CycloneDX JSON SBOMs (detected from content
 * by {@code InventoryReaders}) and os-release. A record a reader cannot trust is quarantined with
 * its file, line or JSON pointer and reason, and the rest of the file is still read.
 */
@NullMarked
package org.cloudpatch.inventory.format;

import org.jspecify.annotations.NullMarked;
