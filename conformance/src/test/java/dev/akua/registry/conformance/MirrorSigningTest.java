package dev.akua.registry.conformance;

import dev.akua.registry.conformance.MirrorFixtures.Distribution;
import dev.akua.registry.conformance.MirrorFixtures.Run;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signatures decide what crosses (issue 9), with the registry's trust policies ({@code signing:}):
 * {@code onlySigned} mirrors only artifacts whose cosign signature verifies with a trusted key — an
 * artifact signed by an untrusted key is skipped like an unsigned one — and an import refuses (or
 * with {@code --skip-unsigned} leaves out) artifacts that do not meet the policy of their repository.
 */
class MirrorSigningTest {
    @TempDir
    static Path dir;
    static Distribution upstream;
    static Digest trustedImage;
    static Path keyFile;

    @BeforeAll
    static void upstream() throws Exception {
        upstream = new Distribution(dir.resolve("upstream"), null, null);
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        byte[] good = l.image("amd64", "good");
        byte[] bad = l.image("amd64", "bad");
        byte[] none = l.image("amd64", "none");
        l.ref("v1", MediaTypes.OCI_MANIFEST, good);
        l.ref("v2", MediaTypes.OCI_MANIFEST, bad);
        l.ref("v3", MediaTypes.OCI_MANIFEST, none);
        l.write();
        for (String tag : new String[]{"v1", "v2", "v3"}) {
            MirrorFixtures.skopeoPush(dir, layout, tag, upstream.hostPort() + "/acme/app:" + tag);
        }
        SigningKey trusted = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        SigningKey untrusted = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        Oci oci = new Oci(new Http(upstream.base()));
        trustedImage = Digest.sha256(good);
        MirrorFixtures.sign(oci, "acme/app", upstream.hostPort() + "/acme/app", trustedImage, trusted);
        MirrorFixtures.sign(oci, "acme/app", upstream.hostPort() + "/acme/app", Digest.sha256(bad), untrusted);
        keyFile = dir.resolve("release.pub");
        Files.writeString(keyFile, trusted.publicKey().pem());
    }

    @AfterAll
    static void stop() throws Exception {
        upstream.close();
    }

    private static String policy() {
        return """
                signing:
                  policies:
                    - name: release
                      repositories: ["mirror/**"]
                      keys:
                        - name: release
                          publicKeyFile: %s
                """.formatted(keyFile);
    }

    private static Path config(Path root, String yaml) throws Exception {
        Files.createDirectories(root);
        Path file = root.resolve("akua-registry.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String upstreams() {
        return """
                mirror:
                  upstreams:
                    - name: dist
                      url: %s
                      prefix: mirror/dist
                      pullThrough: false
                """.formatted(upstream.base());
    }

    @Test
    void mirrorRunOnlySigned_signatureByUntrustedKey_skipped() throws Exception {
        Path root = dir.resolve("only-signed");
        Path config = config(root, upstreams() + policy());

        Run run = MirrorFixtures.cli(config, MirrorFixtures.env(root), "mirror", "run", "--upstream", "dist",
                "--repository", "acme/app", "--only-signed", "--progress", "none");

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("copied    mirror/dist/acme/app:v1 " + trustedImage), run::toString);
        assertTrue(run.out().contains("skipped   mirror/dist/acme/app:v2"), run::toString);
        assertTrue(run.out().contains("skipped   mirror/dist/acme/app:v3"), run::toString);
        assertTrue(run.out().contains("1 copied, 0 unchanged, 2 skipped, 0 failed"), run::toString);
        try (TestRegistry registry = TestRegistry.start(root, Files.readString(config), MirrorFixtures.env(root))) {
            Http http = new Http(registry.base());
            assertEquals(200, http.head("/v2/mirror/dist/acme/app/manifests/v1").status());
            assertEquals(200, http.head("/v2/mirror/dist/acme/app/manifests/" + trustedImage.tagForm() + ".sig").status());
            http.get("/v2/mirror/dist/acme/app/manifests/v2").assertError(404, "MANIFEST_UNKNOWN");
            http.get("/v2/mirror/dist/acme/app/manifests/v3").assertError(404, "MANIFEST_UNKNOWN");
            assertEquals(200, http.get("/api/v1/repositories/mirror/dist/acme/app/signatures/v1").status());
            assertTrue(http.get("/api/v1/repositories/mirror/dist/acme/app/signatures/v1").json().get("policyMet").asBoolean());
        }
    }

    @Test
    void importUnderPolicy_unsignedArtifactsRefusedOrLeftOut() throws Exception {
        Path source = dir.resolve("export-source");
        Path sourceConfig = config(source, upstreams());
        assertEquals(0, MirrorFixtures.cli(sourceConfig, MirrorFixtures.env(source), "mirror", "run", "--upstream", "dist",
                "--repository", "acme/app", "--progress", "none").exit());
        Path archive = dir.resolve("all.tar");
        Run exported = MirrorFixtures.cli(sourceConfig, MirrorFixtures.env(source), "export", "--output", archive.toString(),
                "--repository", "mirror/dist/acme/app", "--progress", "none");
        assertEquals(0, exported.exit(), exported::toString);

        Path strict = dir.resolve("strict");
        Path strictConfig = config(strict, policy());
        Run refused = MirrorFixtures.cli(strictConfig, MirrorFixtures.env(strict), "import", archive.toString(),
                "--progress", "none");
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("mirror/dist/acme/app:v2") && refused.err().contains("mirror/dist/acme/app:v3"), refused::toString);
        assertFalse(Files.exists(strict.resolve("data/repositories")), "nothing was imported");

        Run lenient = MirrorFixtures.cli(strictConfig, MirrorFixtures.env(strict), "import", archive.toString(),
                "--skip-unsigned", "--progress", "none");
        assertEquals(0, lenient.exit(), lenient::toString);
        assertTrue(lenient.out().contains("import: 1 artifacts") && lenient.out().contains("2 left out"), lenient::toString);
        try (TestRegistry registry = TestRegistry.start(strict, Files.readString(strictConfig), MirrorFixtures.env(strict))) {
            Http http = new Http(registry.base());
            assertEquals(trustedImage.toString(), MirrorRunTest.digestOf(http, "/v2/mirror/dist/acme/app/manifests/v1"));
            http.get("/v2/mirror/dist/acme/app/manifests/v2").assertError(404, "MANIFEST_UNKNOWN");
        }
    }
}
