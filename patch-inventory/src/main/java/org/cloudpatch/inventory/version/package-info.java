/**
 * Version schemes: how each package ecosystem orders its versions and which versions it accepts.
 * Advisory matching stands on these orders, so each one is exact to its reference tool (dpkg for
 * Debian and Ubuntu, rpm for the RPM distributions, apk-tools for Alpine, the SemVer 2.0.0
 * specification, pypa/packaging for PyPI) and rejects input it cannot order rather than guess.
 */
@NullMarked
package org.cloudpatch.inventory.version;

import org.jspecify.annotations.NullMarked;
