package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.signing.bundle.BundleArtifacts;
import dev.akua.registry.signing.bundle.KeylessTrust;
import dev.akua.registry.signing.bundle.TestSigstore;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.dsse.Statements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cosign-v3-style keyless signature stored as an OCI 1.1 referrer, found and verified through the policy. */
class KeylessReferrerTest {
    private static final String IDENTITY = "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";

    private final TestSigstore sigstore = new TestSigstore();
    private TestRegistry registry;
    private Digest subject;

    @BeforeEach
    void setUp() {
        registry = new TestRegistry();
        subject = registry.pushArtifact("app 1.0", "1.0");
        Instant now = Instant.now();
        TestSigstore.Leaf leaf = sigstore.issue(IDENTITY, TestSigstore.ISSUER, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofMinutes(5)));
        byte[] statement = new Statements(registry.json).cosignSign(TestRegistry.REF, subject);
        byte[] bundle = sigstore.dsseBundle(sigstore.spec(statement, leaf, now.minus(Duration.ofMinutes(4))));
        Digest bundleDigest = registry.content.putBlob(TestRegistry.REPO, bundle);
        registry.content.putBlob(TestRegistry.REPO, SidecarManifests.EMPTY_CONFIG);
        byte[] subjectManifest = registry.content.manifest(TestRegistry.REPO, subject).orElseThrow();
        registry.content.putManifest(TestRegistry.REPO, new BundleArtifacts(registry.json).referrerManifest(bundleDigest, bundle.length,
                MediaTypes.OCI_MANIFEST, subject, subjectManifest.length, Statements.COSIGN_SIGN_V1, now), null);
    }

    private SignatureVerification verifier(KeylessIdentity identity) {
        TrustPolicy policy = new TrustPolicy("ci", List.of(RepositoryPattern.parse("acme/**")), List.of(), List.of(identity),
                Enforcement.PULL, List.of());
        return new SignatureVerification(registry.content,
                new TrustPolicies(List.of(policy), KeylessTrust.fromTrustedRootJson(sigstore.trustedRoot())), VerificationLimits.defaults());
    }

    @Test
    void verify_keylessBundleReferrer_meetsPolicyWithIdentityAsSigner() throws Exception {
        SignatureVerification v = verifier(KeylessIdentity.subjectPattern(TestSigstore.ISSUER, "https://github\\.com/acme/app/.*"));

        VerificationReport report = v.verify(TestRegistry.REPO, subject);

        assertTrue(report.policyMet(), report.summary());
        Finding f = report.signatures().get(0);
        assertEquals(Finding.Format.SIGSTORE_BUNDLE, f.format());
        assertEquals(Finding.Source.REFERRER, f.source());
        assertEquals(IDENTITY, f.signer().identity());
        assertEquals(TestSigstore.ISSUER, f.signer().issuer());
        assertEquals(Statements.COSIGN_SIGN_V1, f.predicateType());
        assertTrue(v.checkPull(TestRegistry.REPO, new Tag("1.0"), subject, registry.content.manifest(TestRegistry.REPO, subject).orElseThrow()).allowed());
        String json = new String(new ReportJson().write(report), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"signer\":{\"identity\":\"" + IDENTITY + "\",\"issuer\":\"" + TestSigstore.ISSUER + "\"}"), json);
    }

    @Test
    void verify_keylessBundleReferrerOfOtherIdentity_deniesPull() throws Exception {
        SignatureVerification v = verifier(KeylessIdentity.exact(TestSigstore.ISSUER, "https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main"));

        VerificationReport report = v.verify(TestRegistry.REPO, subject);
        PullDecision pull = v.checkPull(TestRegistry.REPO, new Tag("1.0"), subject, registry.content.manifest(TestRegistry.REPO, subject).orElseThrow());

        assertFalse(report.policyMet());
        assertTrue(report.signatures().get(0).reason().contains("matches no trusted identity"), report.signatures().get(0).reason());
        assertFalse(pull.allowed());
        assertTrue(pull.reason().contains("matches no trusted identity"), pull.reason());
    }

    @Test
    void checkPull_referrerManifestItself_staysFetchable() throws Exception {
        SignatureVerification v = verifier(KeylessIdentity.exact(TestSigstore.ISSUER, "nobody"));
        Digest referrer = registry.content.referrers(TestRegistry.REPO, subject).get(0).digest();

        PullDecision pull = v.checkPull(TestRegistry.REPO, referrer, referrer, registry.content.manifest(TestRegistry.REPO, referrer).orElseThrow());

        assertTrue(pull.allowed());
    }
}
