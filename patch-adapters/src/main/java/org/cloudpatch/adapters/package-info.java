/**
 * Real adapters for core's SPIs, each in its own sub-package and each passing its SPI's contract
 * kit: what a host plugs in to patch, read feeds and notify outside a simulation, and a worked
 * example for vendors writing their own.
 */
@NullMarked
package org.cloudpatch.adapters;

import org.jspecify.annotations.NullMarked;
