package dev.akua.registry.signing.bundle;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.wire.WireJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyless Sigstore bundles verified offline, with sigstore-java, against a trusted root the test
 * builds (own CA, own CT log, own Rekor log key).
 */
class KeylessBundleTest {
    private static final String IDENTITY = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0";
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final TestSigstore sigstore = new TestSigstore();
    private final WireJson json = new WireJson();
    private final Digest subject = Digest.sha256("the manifest".getBytes(StandardCharsets.UTF_8));
    private final List<IdentityRule> trusted = List.of(
            new IdentityRule(TestSigstore.ISSUER, null, null, "https://github\\.com/acme/.*"));

    private BundleVerifier verifier() {
        return new BundleVerifier(json, KeylessTrust.fromTrustedRootJson(sigstore.trustedRoot()));
    }

    private byte[] statement(Digest about) {
        return new Statements(json).cosignSign("registry.example/acme/app", about);
    }

    /** A fresh, currently valid certificate logged with an inclusion promise one minute after issue. */
    private TestSigstore.BundleSpec validSpec() {
        TestSigstore.Leaf leaf = sigstore.issue(IDENTITY, TestSigstore.ISSUER, NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(5)));
        return sigstore.spec(statement(subject), leaf, NOW.minus(Duration.ofMinutes(4)));
    }

    private BundleCheck verify(TestSigstore.BundleSpec spec, List<IdentityRule> identities) {
        return verifier().verify(sigstore.dsseBundle(spec), subject, List.of(), identities);
    }

    @Test
    void keylessBundle_fromTrustedCaAndLog_verifiesOffline() {
        TestSigstore.BundleSpec spec = validSpec();

        BundleCheck check = verify(spec, trusted);

        assertTrue(check.verified(), check.reason());
        assertTrue(check.dsse());
        assertEquals(Statements.COSIGN_SIGN_V1, check.predicateType());
        assertEquals(IDENTITY, check.identity());
        assertEquals(TestSigstore.ISSUER, check.issuer());
        assertEquals(spec.integratedTime.getEpochSecond(), check.signedAt().getEpochSecond());
        assertEquals(5L, check.logIndex());
        assertNull(check.keyFingerprint());
    }

    @Test
    void keylessMessageSignature_overSubjectManifest_verifies() {
        byte[] manifest = "the manifest".getBytes(StandardCharsets.UTF_8);
        TestSigstore.BundleSpec spec = validSpec();

        BundleCheck check = verifier().verify(sigstore.messageSignatureBundle(spec, manifest, TestSigstore.sha256(manifest)), subject, List.of(), trusted);

        assertTrue(check.verified(), check.reason());
        assertFalse(check.dsse());
        assertNull(check.predicateType());
        assertEquals(IDENTITY, check.identity());
    }

    @Test
    void keylessMessageSignature_overAnotherArtifact_isNotVerified() {
        byte[] other = "another manifest".getBytes(StandardCharsets.UTF_8);

        BundleCheck check = verifier().verify(sigstore.messageSignatureBundle(validSpec(), other, TestSigstore.sha256(other)), subject, List.of(), trusted);

        assertFalse(check.verified());
        assertTrue(check.reason().startsWith("Provided artifact digest does not match digest used for verification"), check.reason());
    }

    @Test
    void keylessBundle_exactIdentity_verifies() {
        BundleCheck check = verify(validSpec(), List.of(new IdentityRule(TestSigstore.ISSUER, null, IDENTITY, null)));

        assertTrue(check.verified(), check.reason());
    }

    @Test
    void keylessBundle_wrongIdentity_isNotVerified() {
        BundleCheck check = verify(validSpec(), List.of(new IdentityRule(TestSigstore.ISSUER, null, null, "https://github\\.com/other/.*")));

        assertFalse(check.verified());
        assertEquals("certificate identity " + IDENTITY + " (issuer " + TestSigstore.ISSUER + ") matches no trusted identity", check.reason());
        assertEquals(IDENTITY, check.identity());
    }

    @Test
    void keylessBundle_wrongIssuer_isNotVerified() {
        BundleCheck check = verify(validSpec(), List.of(new IdentityRule("https://accounts.google.com", null, null, ".*")));

        assertFalse(check.verified());
        assertTrue(check.reason().contains("matches no trusted identity"), check.reason());
    }

    @Test
    void keylessBundle_expiredCertificateWithoutTimestamp_isNotVerified() {
        TestSigstore.Leaf expired = sigstore.issue(IDENTITY, TestSigstore.ISSUER, NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(20)));
        TestSigstore.BundleSpec spec = sigstore.spec(statement(subject), expired, NOW.minus(Duration.ofMinutes(25)));
        spec.promise = false;

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals(BundleVerifier.NO_SIGNED_TIME, check.reason());
    }

    @Test
    void keylessBundle_validCertificateWithoutTimestamp_isNotVerified() {
        TestSigstore.BundleSpec spec = validSpec();
        spec.promise = false;

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals(BundleVerifier.NO_SIGNED_TIME, check.reason());
    }

    @Test
    void keylessBundle_expiredCertificateWithPromiseInsideValidity_verifies() {
        TestSigstore.Leaf expired = sigstore.issue(IDENTITY, TestSigstore.ISSUER, NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(20)));

        BundleCheck check = verify(sigstore.spec(statement(subject), expired, NOW.minus(Duration.ofMinutes(25))), trusted);

        assertTrue(check.verified(), check.reason());
    }

    @Test
    void keylessBundle_loggedAfterCertificateExpired_isNotVerified() {
        TestSigstore.Leaf expired = sigstore.issue(IDENTITY, TestSigstore.ISSUER, NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(20)));

        BundleCheck check = verify(sigstore.spec(statement(subject), expired, NOW.minus(Duration.ofMinutes(10))), trusted);

        assertFalse(check.verified());
        assertTrue(check.reason().startsWith("certificate was not valid at the log's integrated time"), check.reason());
    }

    @Test
    void keylessBundle_tamperedInclusionProof_isNotVerified() {
        TestSigstore.BundleSpec spec = validSpec();
        spec.flipProofHash = true;

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals("Transparency log entry could not be verified", check.reason());
    }

    @Test
    void keylessBundle_tamperedIntegratedTime_failsSignedEntryTimestamp() {
        TestSigstore.BundleSpec spec = validSpec();
        spec.integratedTimeInBundleDelta = -60;

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals("Transparency log entry could not be verified", check.reason());
    }

    @Test
    void keylessBundle_checkpointSignedByAnotherKey_isNotVerified() {
        TestSigstore.BundleSpec spec = validSpec();
        spec.checkpointKey = TestSigstore.ecKey().getPrivate();

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals("Transparency log entry could not be verified", check.reason());
    }

    @Test
    void keylessBundle_logNotInTrustedRoot_isNotVerified() {
        TestSigstore.BundleSpec spec = validSpec();
        spec.logIdOverride = TestSigstore.sha256("some other log".getBytes(StandardCharsets.UTF_8));

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals("Transparency log entry could not be verified", check.reason());
    }

    @Test
    void keylessBundle_certificateFromUntrustedCa_isNotVerified() {
        TestSigstore other = new TestSigstore();
        TestSigstore.Leaf leaf = other.issue(IDENTITY, TestSigstore.ISSUER, NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(5)));
        TestSigstore.BundleSpec spec = sigstore.spec(statement(subject), leaf, NOW.minus(Duration.ofMinutes(4)));

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertTrue(check.reason().startsWith("Fulcio certificate was not valid"), check.reason());
    }

    @Test
    void keylessBundle_aboutAnotherDigest_isNotVerified() {
        TestSigstore.BundleSpec spec = validSpec();
        spec.statement = statement(Digest.sha256("another manifest".getBytes(StandardCharsets.UTF_8)));

        BundleCheck check = verify(spec, trusted);

        assertFalse(check.verified());
        assertEquals("statement subjects do not include " + subject, check.reason());
    }

    @Test
    void keylessBundle_withoutTrustedRoot_isNotVerifiable() {
        BundleCheck check = new BundleVerifier(json, null).verify(sigstore.dsseBundle(validSpec()), subject, List.of(), trusted);

        assertFalse(check.verified());
        assertEquals("keyless bundle, but no trusted root is configured", check.reason());
    }

    @Test
    void trustedRoot_garbage_isRefusedWithReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeylessTrust.fromTrustedRootJson("{\"tlogs\":[]}".getBytes(StandardCharsets.UTF_8)));

        assertTrue(e.getMessage().contains("no certificate authorities"), e.getMessage());
    }

    @Test
    void bundle_notJsonOrUnknownType_isNotVerified() {
        assertEquals("Sigstore bundle is not valid JSON: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                verifier().verify("nope".getBytes(StandardCharsets.UTF_8), subject, List.of(), trusted).reason());
        assertEquals("unsupported bundle mediaType application/x",
                verifier().verify("{\"mediaType\":\"application/x\"}".getBytes(StandardCharsets.UTF_8), subject, List.of(), trusted).reason());
    }
}
