/**
 * The {@code cloudpatch} command. The only module that writes to the terminal: results on standard
 * output, reasons on standard error; exit 0 on success, 1 when a check fails, 2 on a usage error.
 */
@NullMarked
package org.cloudpatch.cli;

import org.jspecify.annotations.NullMarked;
