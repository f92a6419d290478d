/**
 * Applicability: deciding, for each advisory and each asset's inventory, which installed packages
 * are affected, fixed or not affected, and why. A verdict that cannot be decided is UNKNOWN, never
 * "not affected"; the default implementation is {@link
 * org.cloudpatch.inventory.match.OsvApplicability}.
 */
@NullMarked
package org.cloudpatch.inventory.match;

import org.jspecify.annotations.NullMarked;
