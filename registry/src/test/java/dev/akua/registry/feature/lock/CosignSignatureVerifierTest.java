package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.signature.SignatureEvidence;
import dev.akua.registry.lockfile.signature.SignatureVerdict;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.Enforcement;
import dev.akua.registry.signing.KeylessIdentity;
import dev.akua.registry.signing.RepositoryPattern;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.TrustedKey;
import dev.akua.registry.signing.bundle.KeylessTrust;
import dev.akua.registry.signing.bundle.TestSigstore;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.wire.WireJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signature port's production implementation, on cosign simple-signing evidence made with JCA P-256 keys. */
class CosignSignatureVerifierTest {
    static final Digest SERVED = Digest.sha256("the manifest as served".getBytes(StandardCharsets.UTF_8));
    static final Digest OTHER = Digest.sha256("another manifest".getBytes(StandardCharsets.UTF_8));
    static KeyPair workspaceKey;
    static KeyPair registryKey;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        workspaceKey = gen.generateKeyPair();
        registryKey = gen.generateKeyPair();
    }

    static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static String keyId(KeyPair key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getPublic().getEncoded())).substring(0, 16);
    }

    static byte[] payload(Digest digest, String type) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/acme/app\"},\"image\":{\"docker-manifest-digest\":\""
                + digest + "\"},\"type\":\"" + type + "\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    }

    static SignatureEvidence.Signature signed(KeyPair key, byte[] payload, String algorithm) throws Exception {
        Signature ecdsa = Signature.getInstance(algorithm);
        ecdsa.initSign(key.getPrivate());
        ecdsa.update(payload);
        return new SignatureEvidence.Signature(payload, Base64.getEncoder().encodeToString(ecdsa.sign()),
                Map.of("dev.cosignproject.cosign/signature", "…"));
    }

    static SignatureEvidence.Signature signed(KeyPair key, Digest digest) throws Exception {
        return signed(key, payload(digest, "cosign container image signature"), "SHA256withECDSA");
    }

    static SignatureEvidence evidence(Optional<String> workspaceKeyPem, SignatureEvidence.Signature... signatures) {
        return evidenceVia(Optional.empty(), workspaceKeyPem, signatures);
    }

    /** Evidence for {@code registry.example/acme/app} resolved through a registry reached at {@code via}. */
    static SignatureEvidence evidenceVia(Optional<String> via, Optional<String> workspaceKeyPem, SignatureEvidence.Signature... signatures) {
        return new SignatureEvidence("app", "registry.example/acme/app", "1.0.0", SERVED, List.of(signatures), List.of(), workspaceKeyPem, via);
    }

    static CosignSignatureVerifier verifier(KeyPair... registryKeys) {
        return withPolicy(TrustPolicies.none(), Optional.empty(), registryKeys);
    }

    static CosignSignatureVerifier withPolicy(TrustPolicies policies, Optional<String> publicAuthority, KeyPair... registryKeys) {
        List<TrustedKey> keys = java.util.Arrays.stream(registryKeys).map(k -> TrustedKey.fromPem("r", pem(k))).toList();
        return new CosignSignatureVerifier(keys, policies, publicAuthority);
    }

    /** The registry's signature policy "release" over acme/**, trusting {@code key}. */
    static TrustPolicies releasePolicy(KeyPair key) {
        return new TrustPolicies(List.of(new TrustPolicy("release", List.of(RepositoryPattern.parse("acme/**")),
                List.of(TrustedKey.fromPem("release", pem(key))), List.of(), Enforcement.PULL, List.of())), null);
    }

    static String rejected(SignatureVerdict verdict) {
        return assertInstanceOf(SignatureVerdict.Rejected.class, verdict).reason();
    }

    @Test
    void verify_workspaceKeySignsTheServedDigest_verifiedWithKeyId() throws Exception {
        SignatureVerdict verdict = verifier().verify(evidence(Optional.of(pem(workspaceKey)), signed(workspaceKey, SERVED)));
        assertEquals("cosign:key:" + keyId(workspaceKey), assertInstanceOf(SignatureVerdict.Verified.class, verdict).lockValue());
    }

    @Test
    void verify_rawRsSignature_verifiedAsAkuaDoes() throws Exception {
        // akua's verify_keyed falls back to raw r||s when the bytes are not DER (§3.4)
        SignatureEvidence.Signature raw = signed(workspaceKey, payload(SERVED, "cosign container image signature"),
                "SHA256withECDSAinP1363Format");
        assertInstanceOf(SignatureVerdict.Verified.class, verifier().verify(evidence(Optional.of(pem(workspaceKey)), raw)));
    }

    @Test
    void verify_signatureByAnotherKey_rejected() throws Exception {
        String reason = rejected(verifier().verify(evidence(Optional.of(pem(workspaceKey)), signed(registryKey, SERVED))));
        assertTrue(reason.contains("does not verify with the workspace key " + keyId(workspaceKey)), reason);
    }

    @Test
    void verify_validSignatureOverAnotherDigest_rejected() throws Exception {
        String reason = rejected(verifier().verify(evidence(Optional.of(pem(workspaceKey)), signed(workspaceKey, OTHER))));
        assertTrue(reason.contains("signs " + OTHER + ", not the served manifest " + SERVED), reason);
    }

    @Test
    void verify_payloadOfAnotherType_rejected() throws Exception {
        SignatureEvidence.Signature s = signed(workspaceKey, payload(SERVED, "atomic container signature"), "SHA256withECDSA");
        assertTrue(rejected(verifier().verify(evidence(Optional.of(pem(workspaceKey)), s))).contains("has type"));
    }

    @Test
    void verify_malformedSignaturesAndPayloads_rejectedWithoutThrowing() throws Exception {
        byte[] good = payload(SERVED, "cosign container image signature");
        SignatureEvidence.Signature notBase64 = new SignatureEvidence.Signature(good, "%%%not base64%%%", Map.of());
        SignatureEvidence.Signature garbage = new SignatureEvidence.Signature(good, Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}), Map.of());
        SignatureEvidence.Signature notJson = new SignatureEvidence.Signature("{{".getBytes(StandardCharsets.UTF_8), "AAAA", Map.of());
        SignatureEvidence.Signature keyless = new SignatureEvidence.Signature(good, null, Map.of("dev.sigstore.cosign/certificate", "pem"));
        String reason = rejected(verifier().verify(evidence(Optional.of(pem(workspaceKey)), notBase64, garbage, notJson, keyless)));
        assertTrue(reason.contains("signature 1 is not base64"), reason);
        assertTrue(reason.contains("signature 2 does not verify"), reason);
        assertTrue(reason.contains("signature 3"), reason);
        assertTrue(reason.contains("certificate signatures in .sig sidecars are not verified"), reason);
    }

    @Test
    void verify_oneOfSeveralSignaturesVerifies_verified() throws Exception {
        SignatureVerdict verdict = verifier().verify(evidence(Optional.of(pem(workspaceKey)),
                signed(registryKey, SERVED), signed(workspaceKey, SERVED)));
        assertInstanceOf(SignatureVerdict.Verified.class, verdict);
    }

    @Test
    void verify_noWorkspaceKey_registryKeysUsed() throws Exception {
        SignatureVerdict verdict = verifier(workspaceKey, registryKey).verify(evidence(Optional.empty(), signed(registryKey, SERVED)));
        assertEquals("cosign:key:" + keyId(registryKey), assertInstanceOf(SignatureVerdict.Verified.class, verdict).lockValue());
    }

    @Test
    void verify_workspaceKeyGiven_registryKeysNotConsulted() throws Exception {
        String reason = rejected(verifier(registryKey).verify(evidence(Optional.of(pem(workspaceKey)), signed(registryKey, SERVED))));
        assertTrue(reason.contains("workspace key"), reason);
    }

    @Test
    void verify_noKeyAnywhere_rejected() throws Exception {
        assertTrue(rejected(verifier().verify(evidence(Optional.empty(), signed(workspaceKey, SERVED)))).contains("nothing to verify with"));
    }

    @Test
    void verify_unusableWorkspaceKey_rejected() throws Exception {
        String reason = rejected(verifier().verify(evidence(Optional.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
                signed(workspaceKey, SERVED))));
        assertTrue(reason.contains("not a usable public key"), reason);
    }

    @Test
    void verify_dependencyInThisRegistry_policyKeysUsed() throws Exception {
        KeyPair policyKey = workspaceKey;
        CosignSignatureVerifier v = withPolicy(releasePolicy(policyKey), Optional.empty(), registryKey);

        SignatureVerdict verdict = v.verify(evidenceVia(Optional.of("REGISTRY.example"), Optional.empty(), signed(policyKey, SERVED)));

        assertEquals("cosign:key:" + keyId(policyKey), assertInstanceOf(SignatureVerdict.Verified.class, verdict).lockValue());
        String reason = rejected(v.verify(evidenceVia(Optional.of("registry.example"), Optional.empty(), signed(registryKey, SERVED))));
        assertTrue(reason.contains("signature policy 'release'"), "the policy's keys replace lock.trustedKeys: " + reason);
    }

    @Test
    void verify_publicUrlAuthority_marksTheRegistryAsOwnWithoutARequest() throws Exception {
        CosignSignatureVerifier v = withPolicy(releasePolicy(workspaceKey), Optional.of("registry.example"));
        assertInstanceOf(SignatureVerdict.Verified.class, v.verify(evidence(Optional.empty(), signed(workspaceKey, SERVED))));
    }

    @Test
    void verify_dependencyOnAnotherRegistry_policyNotApplied() throws Exception {
        CosignSignatureVerifier v = withPolicy(releasePolicy(workspaceKey), Optional.of("other.example"));
        String reason = rejected(v.verify(evidenceVia(Optional.of("other.example:5000"), Optional.empty(), signed(workspaceKey, SERVED))));
        assertTrue(reason.contains("nothing to verify with"), reason);
    }

    @Test
    void verify_workspaceKeyGiven_policyNotConsulted() throws Exception {
        CosignSignatureVerifier v = withPolicy(releasePolicy(registryKey), Optional.empty());
        String reason = rejected(v.verify(evidenceVia(Optional.of("registry.example"), Optional.of(pem(workspaceKey)), signed(registryKey, SERVED))));
        assertTrue(reason.contains("workspace key"), reason);
    }

    /** A cosign-v3 keyless bundle over {@link #SERVED}, signed by a leaf certificate for {@code identity}. */
    static byte[] keylessBundle(TestSigstore sigstore, String identity) {
        Instant now = Instant.now();
        TestSigstore.Leaf leaf = sigstore.issue(identity, TestSigstore.ISSUER, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofMinutes(5)));
        byte[] statement = new Statements(new WireJson()).cosignSign("registry.example/acme/app", SERVED);
        return sigstore.dsseBundle(sigstore.spec(statement, leaf, now.minus(Duration.ofMinutes(4))));
    }

    static TrustPolicies keylessPolicy(TestSigstore sigstore) {
        return new TrustPolicies(List.of(new TrustPolicy("ci", List.of(RepositoryPattern.parse("acme/**")), List.of(),
                List.of(KeylessIdentity.subjectPattern(TestSigstore.ISSUER, "https://github\\.com/acme/.*")), Enforcement.PULL, List.of())),
                KeylessTrust.fromTrustedRootJson(sigstore.trustedRoot()));
    }

    static SignatureEvidence bundleEvidence(Optional<String> via, byte[] bundle) {
        return new SignatureEvidence("app", "registry.example/acme/app", "1.0.0", SERVED, List.of(), List.of(bundle), Optional.empty(), via);
    }

    @Test
    void verify_keylessBundleOfAPolicyIdentity_lockedAsSigstoreIssuer() {
        TestSigstore sigstore = new TestSigstore();
        CosignSignatureVerifier v = new CosignSignatureVerifier(List.of(), keylessPolicy(sigstore), Optional.empty());
        byte[] bundle = keylessBundle(sigstore, "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main");

        SignatureVerdict verdict = v.verify(bundleEvidence(Optional.of("registry.example"), bundle));

        assertEquals("cosign:sigstore:" + TestSigstore.ISSUER, assertInstanceOf(SignatureVerdict.Verified.class, verdict).lockValue());
    }

    @Test
    void verify_keylessBundleOfAnotherIdentity_rejectedWithTheReason() {
        TestSigstore sigstore = new TestSigstore();
        CosignSignatureVerifier v = new CosignSignatureVerifier(List.of(), keylessPolicy(sigstore), Optional.empty());
        byte[] bundle = keylessBundle(sigstore, "https://github.com/mallory/app/.github/workflows/release.yml@refs/heads/main");

        String reason = rejected(v.verify(bundleEvidence(Optional.of("registry.example"), bundle)));

        assertTrue(reason.startsWith("Sigstore bundle 1 does not verify with the registry's signature policy 'ci'"), reason);
        assertTrue(reason.contains("matches no trusted identity"), reason);
    }

    @Test
    void verify_keylessBundleOnAnotherRegistry_notJudgedByThePolicy() {
        TestSigstore sigstore = new TestSigstore();
        CosignSignatureVerifier v = new CosignSignatureVerifier(List.of(), keylessPolicy(sigstore), Optional.empty());
        byte[] bundle = keylessBundle(sigstore, "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main");

        assertTrue(rejected(v.verify(bundleEvidence(Optional.of("mirror.example"), bundle))).contains("nothing to verify with"));
    }
}
