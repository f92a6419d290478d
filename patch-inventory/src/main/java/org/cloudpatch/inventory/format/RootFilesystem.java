package org.cloudpatch.inventory.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cloudpatch.core.PatchException;
import org.cloudpatch.core.batch.Printable;

/**
 * The root filesystem of another system (an unpacked container image, a mounted disk), whose paths
 * are resolved as that system would resolve them, never leading onto the machine that reads it.
 *
 * <p>Every component of a path is resolved on its own: a symbolic link with an absolute target
 * ({@code /usr/lib/os-release}, as images often have) is resolved from this root, not from the
 * reading machine's; a relative target is resolved from the link's directory. A link that climbs
 * above the root with {@code ..}, or more than 40 links in one path (a loop), is refused with an
 * {@link IllegalArgumentException} that names the path and the link's target, and never anything
 * read from the file it pointed to. Immutable and thread-safe.
 */
public final class RootFilesystem {
  /** The package databases a root can hold, relative to it, in the order they are looked for. */
  public static final List<String> DATABASES =
      List.of("var/lib/dpkg/status", "var/lib/dpkg/status.d", "lib/apk/db/installed");

  /** As many links as Linux follows in one path before it gives up with ELOOP. */
  private static final int MAX_LINKS = 40;

  private final Path root;

  private RootFilesystem(Path root) {
    this.root = root;
  }

  /**
   * The root filesystem at {@code root}, which may itself be reached through links.
   *
   * @throws PatchException naming the root when it is no directory that can be read
   */
  public static RootFilesystem of(Path root) {
    Objects.requireNonNull(root, "root");
    try {
      Path real = root.toRealPath();
      if (!Files.isDirectory(real)) {
        throw new PatchException(Printable.escape("root filesystem " + root + " is no directory"));
      }
      return new RootFilesystem(real);
    } catch (IOException e) {
      throw new PatchException(
          Printable.escape("cannot read root filesystem " + root + ": " + e.getMessage()), e);
    }
  }

  /** The root, as a real path on the reading machine. */
  public Path root() {
    return root;
  }

  /**
   * Where {@code relative} leads inside the root, every link in it followed within the root: a real
   * path of the reading machine that lies in {@link #root()}.
   *
   * @param relative a path relative to the root, e.g. {@code var/lib/dpkg/status}; a leading {@code
   *     /} is ignored
   * @return empty when nothing is there
   * @throws IllegalArgumentException when a link in it leads out of the root, or links loop
   */
  public Optional<Path> resolve(String relative) {
    Objects.requireNonNull(relative, "relative");
    Deque<String> todo = new ArrayDeque<>();
    push(todo, relative);
    Path at = root;
    int links = 0;
    String lastLink = "";
    try {
      while (!todo.isEmpty()) {
        String name = todo.pop();
        if (name.isEmpty() || name.equals(".")) {
          continue;
        }
        if (name.equals("..")) {
          if (at.equals(root)) {
            throw new IllegalArgumentException(
                Printable.escape(
                    "root filesystem "
                        + root
                        + ": "
                        + relative
                        + " leads out of the root"
                        + lastLink
                        + "; not followed"));
          }
          at = Objects.requireNonNull(at.getParent(), "below the root, a path has a parent");
          continue;
        }
        Path next = at.resolve(name);
        if (Files.isSymbolicLink(next)) {
          if (++links > MAX_LINKS) {
            throw new IllegalArgumentException(
                Printable.escape(
                    "root filesystem " + root + ": " + relative + " has too many links (a loop?)"));
          }
          String target = Files.readSymbolicLink(next).toString();
          if (target.startsWith("/")) {
            at = root;
          }
          push(todo, target);
          lastLink = " through the link " + root.relativize(next) + " -> " + target;
        } else if (Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
          at = next;
        } else {
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      throw new PatchException(
          Printable.escape("cannot resolve " + relative + " in " + root + ": " + e.getMessage()),
          e);
    }
    return Optional.of(at);
  }

  /**
   * The package database of this root: the first of {@link #DATABASES} there is.
   *
   * @throws IllegalArgumentException when the one found is a link that leads out of the root
   */
  public Optional<Path> database() {
    for (String relative : DATABASES) {
      Optional<Path> found = resolve(relative);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** A regular file at {@code relative}, or empty when there is none or it leads out. */
  public Optional<Path> regularFile(String relative) {
    try {
      return resolve(relative).filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Pushes the components of {@code path} to the front of {@code todo}, in order. */
  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }
}
