package dev.akua.registry.lockfile.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.akua.registry.lockfile.AkuaExamples;
import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.lock.TomlTrees;

class ManifestParserTest {
    private final ManifestParser parser = new ManifestParser(new TomlTrees());

    static Stream<Path> exampleManifests() {
        return AkuaExamples.files("akua.toml").stream();
    }

    @ParameterizedTest
    @MethodSource("exampleManifests")
    void parse_akuaExampleManifest_accepted(Path manifest) throws Exception {
        AkuaManifest parsed = parser.parse(Files.readString(manifest, StandardCharsets.UTF_8));

        assertTrue(parsed.edition().startsWith("akua.dev/"));
    }

    @Test
    void parse_allDependencyForms_typedAndSortedByName() throws LockException {
        AkuaManifest m = parser.parse("""
                [package]
                name = "demo"
                version = "0.1.0"
                edition = "akua.dev/v1alpha1"
                strict_signing = false

                [signing]
                cosign_public_key = "./keys/cosign.pub"

                [dependencies]
                temporal = { repo = "https://go.temporal.io/helm-charts", chart = "temporal", version = "0.62.0" }
                chart = { oci = "oci://ghcr.io/acme/charts/app", version = "^1.2" }
                lib = { git = "https://git.example.test/o/r", tag = "v1.0.0" }
                pinned = { git = "https://git.example.test/o/r", rev = "0123456789abcdef0123456789abcdef01234567" }
                local = { path = "./vendor/nginx" }
                fork = { oci = "oci://ghcr.io/acme/fork", version = "1.0", replace = { path = "../fork" } }
                """);

        assertFalse(m.strictSigning());
        assertEquals("./keys/cosign.pub", m.cosignPublicKey());
        assertEquals(java.util.List.of("chart", "fork", "lib", "local", "pinned", "temporal"),
                m.dependencies().stream().map(Dependency::name).toList());
        Dependency.HelmRepo helm = assertInstanceOf(Dependency.HelmRepo.class, m.dependency("temporal").orElseThrow());
        assertEquals("temporal", helm.chart());
        assertEquals("0.62.0", helm.version());
        assertEquals("../fork", m.dependency("fork").orElseThrow().replacePath().orElseThrow());
        assertEquals("0123456789abcdef0123456789abcdef01234567", ((Dependency.Git) m.dependency("pinned").orElseThrow()).ref());
    }

    @Test
    void parse_strictSigning_defaultsToTrue() throws LockException {
        assertTrue(parser.parse("[package]\nname = \"a\"\nversion = \"1\"\nedition = \"akua.dev/v1alpha1\"\n").strictSigning());
    }

    @Test
    void parse_brokenManifests_rejectedNamingTheDependency() {
        String head = "[package]\nname = \"a\"\nversion = \"1\"\nedition = \"akua.dev/v1alpha1\"\n[dependencies]\n";
        assertInvalid(head + "x = { oci = \"oci://h/r\" }\n", "x");
        assertInvalid(head + "x = { oci = \"oci://h/r\", git = \"https://h/r\", version = \"1\" }\n", "x");
        assertInvalid(head + "x = { git = \"https://h/r\" }\n", "x");
        assertInvalid(head + "x = { git = \"https://h/r\", rev = \"abc123\" }\n", "x");
        assertInvalid(head + "x = { path = \"./p\", version = \"1\" }\n", "x");
        assertInvalid(head + "x = { repo = \"https://charts.example.test\", version = \"1\" }\n", "x");
        assertInvalid(head + "x = { chart = \"c\", version = \"1\" }\n", "x");
        assertInvalid("[package]\nname = \"-a\"\nversion = \"1\"\nedition = \"akua.dev/v1alpha1\"\n", null);
        assertInvalid("[package]\nname = \"a\"\nversion = \"1\"\nedition = \"v1\"\n", null);
        assertInvalid("[package]\nname = \"a\"\nname = \"b\"\n", null);
    }

    private void assertInvalid(String text, String dependency) {
        LockException e = assertThrows(LockException.class, () -> parser.parse(text));
        assertEquals(LockException.Reason.MANIFEST_INVALID, e.reason());
        assertEquals(java.util.Optional.ofNullable(dependency), e.dependency(), e.getMessage());
    }
}
