package org.cloudpatch.bench.version;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.inventory.version.DebianVersion;
import org.cloudpatch.inventory.version.VersionScheme;
import org.cloudpatch.inventory.version.VersionSchemes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Debian version comparison against its floor, {@code String.compareTo} on the same pairs.
 *
 * <p>The pairs look like what matching compares: an installed version against a fixed version of
 * the same package, mostly differing only in the revision ({@code 2.36-9+deb12u3} against {@code
 * 2.36-9+deb12u4}), so that both the floor and the scheme walk a long common prefix. Every method
 * compares all {@value #PAIRS} pairs per invocation; the score is per pair. Report {@code
 * schemeCompare / stringCompareTo} and {@code parsedCompareTo / stringCompareTo}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VersionCompare {
  static final int PAIRS = 1024;

  private final String[] left = new String[PAIRS];
  private final String[] right = new String[PAIRS];
  private final DebianVersion[] parsedLeft = new DebianVersion[PAIRS];
  private final DebianVersion[] parsedRight = new DebianVersion[PAIRS];
  private VersionScheme dpkg;

  @Setup
  public void setUp() {
    dpkg = VersionSchemes.forEcosystem("Debian:12").orElseThrow();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < PAIRS; i++) {
      String upstream = upstream(random);
      left[i] = version(random, upstream);
      // Three in four pairs share the upstream version, as installed and fixed versions do.
      right[i] = version(random, random.nextInt(4) == 0 ? upstream(random) : upstream);
      parsedLeft[i] = DebianVersion.parse(left[i]);
      parsedRight[i] = DebianVersion.parse(right[i]);
    }
  }

  /** The floor: lexicographic comparison of the same strings. */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public void stringCompareTo(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(left[i].compareTo(right[i]));
    }
  }

  /**
   * The scheme on raw strings: validates both while comparing (the common prefix once, then each
   * tail), without allocating.
   */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public void schemeCompare(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(dpkg.compare(left[i], right[i]));
    }
  }

  /** Already parsed versions: the comparison alone. */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public void parsedCompareTo(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(parsedLeft[i].compareTo(parsedRight[i]));
    }
  }

  /** Parsing both sides, then comparing: the cost when nothing is cached. */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public void parseThenCompare(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(DebianVersion.parse(left[i]).compareTo(DebianVersion.parse(right[i])));
    }
  }

  private static String upstream(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.nextInt(4)).append('.').append(r.nextInt(40));
    if (r.nextBoolean()) {
      sb.append('.').append(r.nextInt(20));
    }
    switch (r.nextInt(6)) {
      case 0 -> sb.append("+dfsg");
      case 1 -> sb.append("~rc").append(1 + r.nextInt(3));
      case 2 -> sb.append(".dfsg");
      default -> {}
    }
    return sb.toString();
  }

  private static String version(SplittableRandom r, String upstream) {
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(8) == 0) {
      sb.append(1 + r.nextInt(2)).append(':');
    }
    sb.append(upstream).append('-').append(1 + r.nextInt(12));
    switch (r.nextInt(4)) {
      case 0 -> sb.append("+deb12u").append(1 + r.nextInt(15));
      case 1 -> sb.append("~deb12u").append(1 + r.nextInt(15));
      case 2 -> sb.append("ubuntu0.22.04.").append(1 + r.nextInt(5));
      default -> {}
    }
    return sb.toString();
  }
}
