package org.cloudpatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles as written against the library modules (this
 * module's test classpath sees them all), and every block of statements runs. A block is its own
 * imports followed by statements (wrapped in a method of a class) or by a class declaration
 * (compiled only: it stands for the reader's own code). The one change made to a block is that a
 * path literal starting {@code "examples/} is resolved against the checkout's root, since the
 * README's code runs from there and the tests run from the module.
 */
class ReadmeSnippetsTest {
  private static final Pattern CLASS_DECLARATION =
      Pattern.compile(
          "^(?:(?:public|abstract|final)\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

  /**
   * The reader's adapter in the contract-kit example: only compiled against, never run (the kit's
   * tests in that snippet are not executed here).
   */
  private static final Map<String, String> STAND_INS =
      Map.of(
          "AcmeExecutor",
          """
          import java.time.Clock;
          import java.util.Optional;
          import org.cloudpatch.core.rollout.PatchJob;
          import org.cloudpatch.core.rollout.PatchOutcome;
          import org.cloudpatch.core.spi.PatchExecutor;

          final class AcmeExecutor implements PatchExecutor {
            static AcmeExecutor connect(String cluster, Clock clock) {
              throw new IllegalStateException("a stand-in for the reader's adapter");
            }

            @Override
            public String submit(PatchJob job) {
              throw new IllegalStateException("a stand-in for the reader's adapter");
            }

            @Override
            public Optional<PatchOutcome> poll(String handle) {
              throw new IllegalStateException("a stand-in for the reader's adapter");
            }
          }
          """);

  @TempDir Path work;

  /** A {@code ```java} block: the README line its code starts on, and the code. */
  private static final String CONTINUATION = "// continuing the pipeline above";

  record Snippet(int line, String code) {
    String name() {
      return "README.md:" + line;
    }

    boolean isClassDeclaration() {
      return declaredClass() != null;
    }

    @Nullable String declaredClass() {
      for (String l : body().lines().toList()) {
        String s = l.strip();
        if (s.isEmpty() || s.startsWith("//") || s.startsWith("@")) {
          continue;
        }
        Matcher m = CLASS_DECLARATION.matcher(s);
        return m.find() ? m.group(1) : null;
      }
      return null;
    }

    String imports() {
      StringBuilder b = new StringBuilder();
      code.lines().filter(l -> l.startsWith("import ")).forEach(l -> b.append(l).append('\n'));
      return b.toString();
    }

    String body() {
      StringBuilder b = new StringBuilder();
      code.lines().filter(l -> !l.startsWith("import ")).forEach(l -> b.append(l).append('\n'));
      return b.toString();
    }
  }

  static Path checkoutRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("examples"))) {
        return d;
      }
    }
    throw new IllegalStateException("no README.md with examples/ above " + dir);
  }

  static List<Snippet> snippets(String readme) {
    List<Snippet> out = new ArrayList<>();
    List<String> lines = readme.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("```java")) {
        StringBuilder code = new StringBuilder();
        int start = i + 2;
        i++;
        while (i < lines.size() && !lines.get(i).strip().equals("```")) {
          code.append(lines.get(i)).append('\n');
          i++;
        }
        // A block that starts "// continuing the pipeline above" runs after the pipeline (the last
        // block that builds a PatchEngine), in one method, as a reader would paste them.
        Snippet previous = null;
        for (Snippet earlier : out) {
          if (earlier.code().contains("PatchEngine.builder()")) {
            previous = earlier;
          }
        }
        if (code.toString().startsWith(CONTINUATION) && previous != null) {
          String rest = code.substring(CONTINUATION.length()).stripLeading();
          String imports =
              previous.imports()
                  + rest.lines()
                      .filter(l -> l.startsWith("import "))
                      .map(l -> l + "\n")
                      .reduce("", String::concat);
          String body =
              previous.body()
                  + rest.lines()
                      .filter(l -> !l.startsWith("import "))
                      .map(l -> l + "\n")
                      .reduce("", String::concat);
          out.add(new Snippet(start, imports + body));
        } else {
          out.add(new Snippet(start, code.toString()));
        }
      }
    }
    return out;
  }

  private static List<Snippet> readmeSnippets() {
    try {
      return snippets(Files.readString(checkoutRoot().resolve("README.md")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void snippets_extractedFromReadme_includeThePipelineAndTheContractKit() {
    List<Snippet> all = readmeSnippets();
    assertTrue(all.size() >= 3, "README.md has " + all.size() + " java blocks");
    assertTrue(all.stream().anyMatch(s -> s.code().contains("PatchEngine.builder()")));
    assertTrue(all.stream().anyMatch(Snippet::isClassDeclaration));
    assertTrue(all.stream().allMatch(s -> !s.imports().isEmpty()), "a block without imports");
  }

  @Test
  void snippets_withUndeclaredName_failNamingTheSnippetAndTheError() {
    Snippet broken =
        new Snippet(7, "import java.util.List;\nList<String> l = List.of(undeclared);\n");
    AssertionError e = assertThrows(AssertionError.class, () -> compile(broken));
    assertTrue(e.getMessage().contains("README.md:7"), e.getMessage());
    assertTrue(e.getMessage().contains("undeclared"), e.getMessage());
  }

  @TestFactory
  Stream<DynamicTest> readmeSnippet_compilesAndRunsAsWritten() {
    return readmeSnippets().stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.name() + (s.isClassDeclaration() ? " compiles" : " compiles and runs"),
                    () -> {
                      Path classes = compile(s);
                      if (!s.isClassDeclaration()) {
                        run(s, classes);
                      }
                    }));
  }

  @Test
  void pipelineSnippet_onTheExamples_printsAClosedRecordPerAdvisoryAndTheFixedVersions()
      throws Exception {
    Snippet pipeline =
        readmeSnippets().stream()
            .filter(s -> s.code().contains("PatchEngine.builder()"))
            .findFirst()
            .orElseThrow();
    String out = run(pipeline, compile(pipeline));
    List<String> records = out.lines().filter(l -> l.startsWith("DSA-")).sorted().toList();
    assertEquals(2, records.size(), out);
    assertTrue(records.get(0).startsWith("DSA-5514-1 CLOSED opened "), out);
    assertTrue(records.get(1).startsWith("DSA-5532-1 CLOSED opened "), out);
    records.forEach(r -> assertFalse(r.endsWith("closed -"), r));
    assertTrue(out.contains("libc6 2.36-9+deb12u3"), out);
    assertTrue(out.contains("libssl3 3.0.11-1~deb12u2"), out);
  }

  @Test
  void complianceSnippet_continuingThePipeline_answersThatTheVmIsPatched() throws Exception {
    Snippet compliance =
        readmeSnippets().stream()
            .filter(s -> s.code().contains("ComplianceReports.report("))
            .findFirst()
            .orElseThrow();
    assertTrue(compliance.code().contains("PatchEngine.builder()"), "not joined to the pipeline");
    String out = run(compliance, compile(compliance));
    assertTrue(
        out.contains("Yes: all 1 VMs that require an update are patched"), "printed: " + out);
  }

  private String source(Snippet s, String className) {
    String examples = checkoutRoot().resolve("examples").toString().replace("\\", "\\\\") + "/";
    String body = s.body().replace("\"examples/", "\"" + examples);
    if (s.isClassDeclaration()) {
      return s.imports() + "\n" + body;
    }
    return s.imports()
        + "\npublic class "
        + className
        + " {\n  public static void run() throws Exception {\n"
        + body
        + "  }\n}\n";
  }

  private static String className(Snippet s) {
    String declared = s.declaredClass();
    return declared != null ? declared : "ReadmeSnippetAtLine" + s.line();
  }

  private Path compile(Snippet s) throws IOException {
    Path dir = Files.createTempDirectory(work, "snippet");
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String name = className(s);
    Files.writeString(src.resolve(name + ".java"), source(s, name));
    if (s.isClassDeclaration()) {
      for (Map.Entry<String, String> e : STAND_INS.entrySet()) {
        if (s.code().contains(e.getKey())) {
          Files.writeString(src.resolve(e.getKey() + ".java"), e.getValue());
        }
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok;
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<Path> sources;
      try (Stream<Path> listed = Files.list(src)) {
        sources = listed.toList();
      }
      ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of(
                      "-proc:none",
                      "-classpath",
                      System.getProperty("java.class.path"),
                      "-d",
                      classes.toString()),
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
    }
    if (!ok) {
      StringBuilder why = new StringBuilder(s.name() + " does not compile:");
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          why.append("\n  ").append(d.getMessage(Locale.ROOT));
          if (d.getSource() != null && d.getSource().getName().endsWith(name + ".java")) {
            why.append("\n    at: ").append(line(d.getSource(), d.getLineNumber()));
          }
        }
      }
      throw new AssertionError(why.toString());
    }
    return classes;
  }

  private static String line(JavaFileObject source, long number) {
    try {
      return source
          .getCharContent(true)
          .toString()
          .lines()
          .skip(number - 1)
          .findFirst()
          .orElse("")
          .strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** Runs a compiled block of statements, returning what it printed. */
  private static String run(Snippet s, Path classes) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ReadmeSnippetsTest.class.getClassLoader())) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass(className(s)).getMethod("run").invoke(null);
    } catch (InvocationTargetException e) {
      fail(s.name() + " throws " + e.getCause(), e.getCause());
    } finally {
      System.setOut(out);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    out.print(text);
    return text;
  }
}
