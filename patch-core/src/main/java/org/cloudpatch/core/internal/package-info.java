/**
 * Code that more than one cloudpatch module needs but no host should call: public only because
 * package-private cannot cross modules. No compatibility promise; not listed in docs/API.md.
 */
@NullMarked
package org.cloudpatch.core.internal;

import org.jspecify.annotations.NullMarked;
