package dev.akua.registry.lockfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The akua example workspaces (akua 0.8.5's {@code examples/}, akua.toml and akua.lock files only),
 * copied into this module's test resources from the project's {@code shared/akua-examples} so the
 * tests run from a clean clone; {@code -Dakua.examples=<dir>} points elsewhere. Absent data is a
 * failure, never a skip.
 */
public final class AkuaExamples {
    private AkuaExamples() {
    }

    public static Path root() {
        String configured = System.getProperty("akua.examples");
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("src/test/resources/akua-examples"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("akua example workspaces not found (looked at " + candidates
                + "); check out shared/ beside the repository or pass -Dakua.examples=<dir>");
    }

    public static List<Path> files(String fileName) {
        try (Stream<Path> walk = Files.walk(root())) {
            return walk.filter(p -> p.getFileName().toString().equals(fileName)).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
