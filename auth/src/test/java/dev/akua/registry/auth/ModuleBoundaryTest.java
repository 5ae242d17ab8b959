package dev.akua.registry.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The auth module stays plain Java: it must not grow HTTP-server or registry dependencies (the
 * registry depends on it, not the other way round; ARCHITECTURE.md, one-way rule).
 */
class ModuleBoundaryTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> ALLOWED = List.of(
            "java.", "dev.akua.registry.auth", "dev.akua.registry.oci", "com.nimbusds.", "org.bouncycastle.",
            "com.fasterxml.jackson.", "com.github.benmanes.caffeine.");

    @Test
    void mainSources_importOnlyAllowedPackages() throws IOException {
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String imported = m.group(1);
                    if (ALLOWED.stream().noneMatch(imported::startsWith)) {
                        offending.add(f.getFileName() + ": " + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }
}
