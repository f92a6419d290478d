package org.cloudpatch.bench.version;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cloudpatch.inventory.version.RpmVersion;
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
 * RPM version comparison against its floor, {@code String.compareTo} on the same pairs.
 *
 * <p>The pairs look like an installed EVR against a fixed EVR of the same package: the same version
 * three times in four, releases such as {@code 27.el9} against {@code 28.el9_4}, an epoch now and
 * then. Every method compares all {@value #PAIRS} pairs per invocation; the score is per pair.
 * Report {@code schemeCompare / stringCompareTo} and {@code parsedCompareTo / stringCompareTo}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RpmVersionCompare {
  static final int PAIRS = 1024;

  private final String[] left = new String[PAIRS];
  private final String[] right = new String[PAIRS];
  private final RpmVersion[] parsedLeft = new RpmVersion[PAIRS];
  private final RpmVersion[] parsedRight = new RpmVersion[PAIRS];
  private VersionScheme rpm;

  @Setup
  public void setUp() {
    rpm = VersionSchemes.forEcosystem("Red Hat").orElseThrow();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < PAIRS; i++) {
      String version = version(random);
      String epoch = random.nextInt(8) == 0 ? (1 + random.nextInt(2)) + ":" : "";
      left[i] = epoch + version + "-" + release(random);
      String other = random.nextInt(4) == 0 ? version(random) : version;
      right[i] = epoch + other + "-" + release(random);
      parsedLeft[i] = RpmVersion.parse(left[i]);
      parsedRight[i] = RpmVersion.parse(right[i]);
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
   * tail) and runs rpmvercmp on indices from where the strings part, without allocating.
   */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public void schemeCompare(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(rpm.compare(left[i], right[i]));
    }
  }

  /**
   * Already parsed versions: the comparison alone, as when each distinct version is parsed once and
   * compared many times.
   */
  @Benchmark
  @OperationsPerInvocation(PAIRS)
  public void parsedCompareTo(Blackhole bh) {
    for (int i = 0; i < PAIRS; i++) {
      bh.consume(parsedLeft[i].compareTo(parsedRight[i]));
    }
  }

  private static String version(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.nextInt(6)).append('.').append(r.nextInt(40));
    if (r.nextBoolean()) {
      sb.append('.').append(r.nextInt(20));
    }
    if (r.nextInt(8) == 0) {
      sb.append("~rc").append(1 + r.nextInt(3));
    }
    return sb.toString();
  }

  private static String release(SplittableRandom r) {
    StringBuilder sb = new StringBuilder().append(1 + r.nextInt(40));
    switch (r.nextInt(4)) {
      case 0 -> sb.append(".el9_").append(r.nextInt(5));
      case 1 -> sb.append(".el8");
      case 2 -> sb.append('.').append(1 + r.nextInt(4)).append(".el9");
      default -> sb.append(".el9");
    }
    return sb.toString();
  }
}
