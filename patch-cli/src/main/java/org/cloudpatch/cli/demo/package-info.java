/**
 * The demo: the whole patch process on a simulated cloud of VMs in many time zones, driven by a
 * virtual clock, with reports of what happened. The same seed gives the same journal, byte for
 * byte.
 */
@NullMarked
package org.cloudpatch.cli.demo;

import org.jspecify.annotations.NullMarked;
