package org.cloudpatch.cli.internal;

/** A public type of an internal package, for the surface test to find when exposed. */
public final class HiddenForSurfaceTest {
  private HiddenForSurfaceTest() {}
}
