package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.bundle.TestSigstore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyless signatures through the running server (issue 4): a cosign-v3-style Sigstore bundle (DSSE
 * envelope signed by a Fulcio-style leaf certificate, a Rekor entry with inclusion proof and
 * checkpoint) stored as an OCI 1.1 referrer, checked offline against a {@code trustedRoot} file
 * whose CA and log key the test made. A trusted identity pulls under {@code enforce: pull}; another
 * identity, a certificate that had expired when it was logged, and a tampered inclusion proof are
 * each denied with the reason; the signatures API names the identity that signed.
 */
class SigningKeylessTest {
    private static final String ISSUER = KeylessFixtures.ISSUER;
    private static final String TRUSTED = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
    private static final String OTHER = "https://github.com/mallory/app/.github/workflows/release.yml@refs/heads/main";

    @TempDir
    static Path work;
    static KeylessFixtures keyless;
    static TestRegistry registry;
    static Http http;
    static Oci oci;

    @BeforeAll
    static void start() throws IOException {
        keyless = new KeylessFixtures();
        Path trustedRoot = Files.write(work.resolve("trusted_root.json"), keyless.trustedRoot());
        String config = """
                signing:
                  trustedRoot: %s
                  policies:
                    - name: ci
                      repositories: ["keyless/**"]
                      keyless:
                        - issuer: %s
                          subjectRegex: "https://github\\\\.com/acme/app/\\\\.github/workflows/release\\\\.yml@refs/heads/main"
                      enforce: pull
                """.formatted(trustedRoot, ISSUER);
        registry = TestRegistry.start(work.resolve("registry"), config, Map.of());
        http = new Http(registry.base());
        oci = new Oci(http);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** An image pushed under {@code tag}: its digest and manifest size (a pull would be refused while it is unsigned). */
    private record Subject(Digest digest, long size) {
    }

    private static Subject pushImage(String repo, String tag) {
        byte[] m = oci.image(repo, repo + "/" + tag, "");
        Http.Resp r = oci.putManifest(repo, tag, m, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return new Subject(Digest.sha256(m), m.length);
    }

    private static Digest pushBundle(String repo, Subject subject, String identity, Instant notBefore, Instant notAfter,
                                     Instant integrated, Consumer<TestSigstore.BundleSpec> tamper) {
        return keyless.pushBundle(oci, repo, registry.hostPort() + "/" + repo, subject.digest(), subject.size(), identity,
                notBefore, notAfter, integrated, tamper);
    }

    private static Digest pushValidBundle(String repo, Subject subject, String identity) {
        return keyless.pushValidBundle(oci, repo, registry.hostPort() + "/" + repo, subject.digest(), subject.size(), identity);
    }

    private static String deniedMessage(String repo, String reference) {
        Http.Resp r = http.get("/v2/" + repo + "/manifests/" + reference, "Accept", MediaTypes.OCI_MANIFEST);
        r.assertError(403, "DENIED");
        return r.json().get("errors").get(0).get("message").asText();
    }

    private static JsonNode report(String repo, String reference) {
        Http.Resp r = http.get("/api/v1/repositories/" + repo + "/signatures/" + reference);
        assertEquals(200, r.status(), r::text);
        return r.json();
    }

    @Test
    void trustedIdentity_pullsAndTheReportNamesTheIdentity() {
        String repo = "keyless/app";
        Subject subject = pushImage(repo, "1.0");
        assertTrue(deniedMessage(repo, "1.0").contains("no signature found"), "refused while unsigned");
        Digest bundleManifest = pushValidBundle(repo, subject, TRUSTED);

        Http.Resp pulled = http.get("/v2/" + repo + "/manifests/1.0", "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, pulled.status(), pulled::text);
        assertEquals(subject.digest(), Digest.sha256(pulled.body()));
        JsonNode referrers = http.get("/v2/" + repo + "/referrers/" + subject.digest()).json();
        assertEquals(bundleManifest.toString(), referrers.get("manifests").get(0).get("digest").asText());

        JsonNode report = report(repo, subject.digest().toString());
        assertTrue(report.get("policyMet").asBoolean(), report::toString);
        JsonNode sig = report.get("signatures").get(0);
        assertEquals("sigstore-bundle", sig.get("format").asText(), sig::toString);
        assertEquals("referrer", sig.get("source").asText(), sig::toString);
        assertTrue(sig.get("verified").asBoolean(), sig::toString);
        assertEquals(TRUSTED, sig.get("signer").get("identity").asText());
        assertEquals(ISSUER, sig.get("signer").get("issuer").asText());
    }

    @Test
    void otherIdentity_isDeniedWithTheReason() {
        String repo = "keyless/other";
        Subject subject = pushImage(repo, "1.0");
        Digest bundleManifest = pushValidBundle(repo, subject, OTHER);

        String message = deniedMessage(repo, "1.0");
        assertTrue(message.contains("matches no trusted identity"), message);
        JsonNode report = report(repo, "1.0");
        assertFalse(report.get("policyMet").asBoolean(), report::toString);
        assertEquals(OTHER, report.get("signatures").get(0).get("signer").get("identity").asText(), report::toString);
        // the signature artifact itself stays readable, so a client can see why
        Http.Resp sig = http.get("/v2/" + repo + "/manifests/" + bundleManifest, "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, sig.status(), sig::text);
    }

    @Test
    void certificateExpiredBeforeItWasLogged_isDenied() {
        String repo = "keyless/expired";
        Subject subject = pushImage(repo, "1.0");
        Instant now = Instant.now();
        pushBundle(repo, subject, TRUSTED, now.minus(Duration.ofMinutes(30)), now.minus(Duration.ofMinutes(20)),
                now.minus(Duration.ofMinutes(10)), spec -> { });

        JsonNode sig = report(repo, "1.0").get("signatures").get(0);
        assertFalse(sig.get("verified").asBoolean(), sig::toString);
        assertTrue(sig.get("reason").asText().startsWith("certificate was not valid at the log's integrated time"), sig::toString);
        deniedMessage(repo, "1.0");
    }

    @Test
    void tamperedLogEntry_isDenied() {
        String repo = "keyless/tampered";
        Subject subject = pushImage(repo, "1.0");
        Instant now = Instant.now();
        pushBundle(repo, subject, TRUSTED, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofMinutes(5)),
                now.minus(Duration.ofMinutes(4)), spec -> spec.flipProofHash = true);

        JsonNode sig = report(repo, "1.0").get("signatures").get(0);
        assertFalse(sig.get("verified").asBoolean(), sig::toString);
        assertEquals("Transparency log entry could not be verified", sig.get("reason").asText(), sig::toString);
        deniedMessage(repo, "1.0");
    }
}
