package dev.akua.registry.conformance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-way dependency rule of docs/architecture.md, checked against every module's pom: a
 * module may depend only on the project modules listed here, so a new arrow fails the build
 * until the architecture document (and this table) says it is intended.
 */
class ModuleDependencyTest {
    /** module → project modules it may use (any scope). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("oci-model", Set.of()),
            Map.entry("remote", Set.of()),
            Map.entry("storage", Set.of("oci-model")),
            Map.entry("storage-s3", Set.of("oci-model", "storage")),
            Map.entry("signing", Set.of("oci-model")),
            Map.entry("auth", Set.of("oci-model")),
            Map.entry("helm-chart", Set.of()),
            Map.entry("lockfile", Set.of("oci-model", "remote", "helm-chart")),
            Map.entry("helm-repo-proxy", Set.of("oci-model", "storage", "remote", "lockfile", "helm-chart")),
            Map.entry("publisher", Set.of("oci-model", "storage", "signing", "helm-chart")),
            Map.entry("mirror", Set.of("oci-model", "storage", "remote", "signing")),
            Map.entry("registry", Set.of("oci-model", "storage", "storage-s3", "remote", "lockfile", "signing", "auth",
                    "helm-repo-proxy", "publisher", "mirror", "helm-chart")),
            Map.entry("conformance", Set.of("oci-model", "storage", "storage-s3", "remote", "lockfile", "signing", "auth",
                    "helm-repo-proxy", "publisher", "mirror", "registry", "helm-chart")));

    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>dev\\.akua\\.registry</groupId>\\s*<artifactId>([a-z0-9-]+)</artifactId>");

    @Test
    void everyModule_dependsOnlyOnAllowedModules() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        Matcher modules = Pattern.compile("<module>([a-z0-9-]+)</module>").matcher(parent);
        Set<String> checked = new TreeSet<>();
        while (modules.find()) {
            String module = modules.group(1);
            assertTrue(ALLOWED.containsKey(module), "module " + module + " is not in the dependency table");
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            // the parent's own coordinates are not a dependency
            pom = pom.replaceAll("(?s)<parent>.*?</parent>", "");
            Matcher dep = DEPENDENCY.matcher(pom);
            Set<String> used = new TreeSet<>();
            while (dep.find()) {
                used.add(dep.group(1));
            }
            used.removeAll(ALLOWED.get(module));
            assertEquals(Set.of(), used, "module " + module + " depends on modules the architecture does not allow");
            checked.add(module);
        }
        assertTrue(checked.containsAll(Set.of("oci-model", "storage", "registry", "conformance")), checked.toString());
    }

    @Test
    void noModuleButConformance_dependsOnRegistry() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> poms = Files.list(root)) {
            for (Path dir : poms.filter(Files::isDirectory).toList()) {
                Path pom = dir.resolve("pom.xml");
                if (!Files.exists(pom) || dir.getFileName().toString().equals("conformance")) {
                    continue;
                }
                Matcher dep = DEPENDENCY.matcher(Files.readString(pom));
                while (dep.find()) {
                    assertTrue(!dep.group(1).equals("registry"), dir.getFileName() + " must not depend on registry");
                }
            }
        }
    }
}
