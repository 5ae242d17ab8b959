package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureVerificationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SigningKey RELEASE = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);
    private static final SigningKey STRANGER = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);

    private TestRegistry registry;
    private SignatureVerification verification;
    private Digest subject;

    @BeforeEach
    void setUp() {
        registry = new TestRegistry();
        verification = Policies.verifier(registry.content, Policies.trusting(RELEASE, Enforcement.PULL));
        subject = registry.pushArtifact("app 1.0", "1.0");
    }

    private VerificationReport report() throws Exception {
        return verification.verify(TestRegistry.REPO, subject);
    }

    /** Asserts the single signature found is not verified, its reason contains {@code reason}, and pulls are denied. */
    private Finding assertRefused(String reason) throws Exception {
        VerificationReport report = report();
        assertEquals(1, report.signatures().size(), "signatures found: " + report.signatures());
        Finding finding = report.signatures().get(0);
        assertFalse(finding.verified());
        assertTrue(finding.reason().contains(reason), "reason was: " + finding.reason());
        assertFalse(report.policyMet());
        PullDecision pull = verification.checkPull(TestRegistry.REPO, new Tag("1.0"), subject, registry.content.manifest(TestRegistry.REPO, subject).orElseThrow());
        assertFalse(pull.allowed());
        assertTrue(pull.reason().contains(reason), "deny message was: " + pull.reason());
        return finding;
    }

    @Test
    void verify_signatureByTrustedKey_isVerifiedAndPolicyMet() throws Exception {
        Digest sidecar = registry.sign(subject, RELEASE);

        VerificationReport report = report();

        assertTrue(report.policyMet(), report.summary());
        Finding f = report.signatures().get(0);
        assertTrue(f.verified());
        assertEquals(Finding.Format.SIMPLE_SIGNING, f.format());
        assertEquals(Finding.Source.TAG, f.source());
        assertEquals(SidecarManifests.signatureTag(subject).value(), f.tag());
        assertEquals(sidecar, f.manifestDigest());
        assertEquals(0, f.layer());
        assertEquals("release", f.signer().keyName());
        assertEquals(RELEASE.publicKey().fingerprint(), f.signer().keyFingerprint());
        assertNull(f.reason());
        assertTrue(verification.checkPull(TestRegistry.REPO, new Tag("1.0"), subject, AkuaVector.manifest("app 1.0".getBytes(StandardCharsets.UTF_8))).allowed());
    }

    @Test
    void verify_rawRSignature_isAcceptedLikeAkua() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        ASN1Sequence der = ASN1Sequence.getInstance(RELEASE.sign(payload));
        byte[] raw = new byte[64];
        copyUnsigned(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0);
        copyUnsigned(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, 32);
        registry.pushSignatures(subject, List.of(registry.layer(payload, raw)));

        assertTrue(report().signatures().get(0).verified(), report().signatures().toString());
    }

    @Test
    void verify_severalSignatureLayers_reportsEachAndMeetsPolicyWithOne() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        registry.pushSignatures(subject, List.of(registry.layer(payload, STRANGER.sign(payload)), registry.layer(payload, RELEASE.sign(payload))));

        VerificationReport report = report();

        assertEquals(2, report.signatures().size());
        assertFalse(report.signatures().get(0).verified());
        assertTrue(report.signatures().get(1).verified());
        assertEquals(1, report.signatures().get(1).layer());
        assertTrue(report.policyMet());
    }

    @Test
    void verify_signatureOverAnotherDigest_isNotVerified() throws Exception {
        Digest other = registry.pushArtifact("app 2.0", "2.0");
        byte[] signedPayload = registry.payloadFor(other);
        registry.pushSignatures(subject, List.of(registry.layer(registry.payloadFor(subject), RELEASE.sign(signedPayload))));

        assertRefused("signature does not verify");
    }

    @Test
    void verify_payloadNamingAnotherDigest_isNotVerifiedButNamesSigner() throws Exception {
        Digest other = registry.pushArtifact("app 2.0", "2.0");
        byte[] payload = registry.payloadFor(other);
        registry.pushSignatures(subject, List.of(registry.layer(payload, RELEASE.sign(payload))));

        Finding f = assertRefused("payload names " + other + ", not " + subject);
        assertEquals(RELEASE.publicKey().fingerprint(), f.signer().keyFingerprint());
    }

    @Test
    void verify_signatureByUntrustedKey_isNotVerified() throws Exception {
        registry.sign(subject, STRANGER);

        assertRefused("signature does not verify with key " + RELEASE.publicKey().fingerprint());
    }

    @Test
    void verify_payloadWithOneFlippedByte_isNotVerified() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        byte[] signature = RELEASE.sign(payload);
        byte[] tampered = payload.clone();
        int at = new String(payload, StandardCharsets.UTF_8).indexOf("registry.example") + 7;
        tampered[at] ^= 0x01; // registry.example -> registrx.example: still a well-formed payload
        registry.pushSignatures(subject, List.of(registry.layer(tampered, signature)));

        assertRefused("signature does not verify");
    }

    @Test
    void verify_payloadFlippedInsideDigest_isNotVerified() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        byte[] signature = RELEASE.sign(payload);
        String text = new String(payload, StandardCharsets.UTF_8);
        int at = text.indexOf(subject.hex()) + 10;
        byte[] tampered = payload.clone();
        tampered[at] = (byte) (tampered[at] == 'a' ? 'b' : 'a');
        registry.pushSignatures(subject, List.of(registry.layer(tampered, signature)));

        assertRefused("signature does not verify");
    }

    @Test
    void verify_payloadBlobNotMatchingItsDescriptor_isNotVerified() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        SidecarLayer layer = registry.layer(payload, RELEASE.sign(payload));
        registry.pushSignatures(subject, List.of(layer));
        // the stored blob changes under the same digest (a corrupt or malicious backend)
        byte[] flipped = payload.clone();
        flipped[0] ^= 0x01;
        registry.content.removeBlob(TestRegistry.REPO, layer.digest());
        new InMemoryContentBackdoor(registry.content).putBlobAt(TestRegistry.REPO, layer.digest(), flipped);

        assertRefused("does not match its digest");
    }

    @Test
    void verify_signatureWithOneFlippedByte_isNotVerified() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        byte[] signature = RELEASE.sign(payload);
        signature[signature.length - 1] ^= 0x01;
        registry.pushSignatures(subject, List.of(registry.layer(payload, signature)));

        assertRefused("signature does not verify");
    }

    @Test
    void verify_sidecarMovedToAnotherSubject_isNotVerified() throws Exception {
        Digest other = registry.pushArtifact("app 2.0", "2.0");
        Digest otherSidecar = registry.sign(other, RELEASE);
        byte[] moved = registry.content.manifest(TestRegistry.REPO, otherSidecar).orElseThrow();
        registry.content.putManifest(TestRegistry.REPO, moved, SidecarManifests.signatureTag(subject).value());

        assertRefused("payload names " + other);
    }

    @Test
    void verify_tagMovedToNewDigestWithOldSidecarLeft_isNotVerified() throws Exception {
        registry.sign(subject, RELEASE);
        Digest newDigest = registry.pushArtifact("app 1.0, rebuilt", "1.0");

        VerificationReport report = verification.verify(TestRegistry.REPO, newDigest);

        assertTrue(report.signatures().isEmpty());
        assertFalse(report.policyMet());
        assertTrue(report.summary().contains("no signature found for " + newDigest), report.summary());
        PullDecision pull = verification.checkPull(TestRegistry.REPO, new Tag("1.0"), newDigest,
                registry.content.manifest(TestRegistry.REPO, newDigest).orElseThrow());
        assertFalse(pull.allowed());
        OciException denied = assertThrows(OciException.class, pull::throwIfDenied);
        assertEquals(ErrorCode.DENIED, denied.code());
        assertEquals(403, denied.status());
        assertTrue(denied.getMessage().contains("no signature found"), denied.getMessage());
        // the old digest keeps its valid signature
        assertTrue(verification.verify(TestRegistry.REPO, subject).policyMet());
    }

    @Test
    void verify_garbageBase64Annotation_isNotVerified() throws Exception {
        registry.pushSignatures(subject, List.of(registry.layer(registry.payloadFor(subject), "%%% not base64 %%%")));

        assertRefused("signature annotation is not valid base64");
    }

    @Test
    void verify_garbageDerSignature_isNotVerified() throws Exception {
        byte[] garbage = new byte[70];
        RANDOM.nextBytes(garbage);
        garbage[0] = 0x30;
        garbage[1] = 0x44;
        registry.pushSignatures(subject, List.of(registry.layer(registry.payloadFor(subject), garbage)));

        assertRefused("neither a DER ECDSA signature nor a raw r||s pair");
    }

    @Test
    void verify_moreThan100SignatureLayers_isNotVerifiedWithoutReadingPayloads() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        registry.pushSignatures(subject, TestRegistry.repeat(registry.layer(payload, RELEASE.sign(payload)), 101));
        int readsBefore = registry.content.blobReads.get();

        Finding f = assertRefused("sidecar has 101 layers; sidecars with more than 100 are not evaluated");

        assertEquals(-1, f.layer());
        assertEquals(readsBefore, registry.content.blobReads.get(), "no payload may be read");
    }

    @Test
    void verify_exactly100SignatureLayers_isEvaluated() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        registry.pushSignatures(subject, TestRegistry.repeat(registry.layer(payload, RELEASE.sign(payload)), 100));

        VerificationReport report = report();

        assertEquals(100, report.signatures().size());
        assertTrue(report.policyMet());
    }

    @Test
    void verify_payloadDeclaredLargerThanCap_isNotVerifiedWithoutReading() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        SidecarLayer honest = registry.layer(payload, RELEASE.sign(payload));
        SidecarLayer huge = new SidecarLayer(honest.mediaType(), honest.digest(), 10L * 1024 * 1024, honest.annotations());
        registry.pushSignatures(subject, List.of(huge));
        int readsBefore = registry.content.blobReads.get();

        assertRefused("payload is 10485760 bytes; more than 65536 are not read");
        assertEquals(readsBefore, registry.content.blobReads.get());
    }

    @Test
    void verify_payloadLargerThanCapButDeclaredSmall_stopsReadingAtCap() throws Exception {
        byte[] big = new byte[200 * 1024];
        Arrays.fill(big, (byte) ' ');
        byte[] payload = registry.payloadFor(subject);
        System.arraycopy(payload, 0, big, 0, payload.length);
        SidecarLayer layer = registry.layer(big, RELEASE.sign(big));
        registry.pushSignatures(subject, List.of(new SidecarLayer(layer.mediaType(), layer.digest(), 100, layer.annotations())));

        assertRefused("payload blob is larger than 65536 bytes");
    }

    @Test
    void verify_missingPayloadBlob_isNotVerified() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        SidecarLayer layer = registry.layer(payload, RELEASE.sign(payload));
        registry.pushSignatures(subject, List.of(layer));
        registry.content.removeBlob(TestRegistry.REPO, layer.digest());

        assertRefused("is missing from the repository");
    }

    @Test
    void verify_payloadThatIsNotSimpleSigning_isNotVerified() throws Exception {
        byte[] payload = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        registry.pushSignatures(subject, List.of(registry.layer(payload, RELEASE.sign(payload))));

        assertRefused("simple signing payload has no critical section");
    }

    @Test
    void verify_payloadWithDuplicateKeys_isRefused() throws Exception {
        String text = new String(registry.payloadFor(subject), StandardCharsets.UTF_8)
                .replace("\"optional\":null", "\"optional\":null,\"critical\":{}");
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        registry.pushSignatures(subject, List.of(registry.layer(payload, RELEASE.sign(payload))));

        assertRefused("Duplicate field 'critical'");
    }

    @Test
    void verify_noPolicyForRepository_reportsUnverifiedWithReason() throws Exception {
        registry.sign(subject, RELEASE);
        SignatureVerification none = new SignatureVerification(registry.content, TrustPolicies.none(), VerificationLimits.defaults());

        VerificationReport report = none.verify(TestRegistry.REPO, subject);

        assertNull(report.policy());
        assertFalse(report.policyMet());
        assertEquals("no trust policy covers this repository", report.signatures().get(0).reason());
        assertTrue(none.checkPull(TestRegistry.REPO, subject, subject, new byte[0]).allowed());
    }

    @Test
    void checkPull_policyWithoutEnforcement_allowsUnsigned() throws Exception {
        SignatureVerification reportOnly = Policies.verifier(registry.content, Policies.trusting(RELEASE, Enforcement.NONE));

        PullDecision pull = reportOnly.checkPull(TestRegistry.REPO, new Tag("1.0"), subject, registry.content.manifest(TestRegistry.REPO, subject).orElseThrow());

        assertTrue(pull.allowed());
        assertFalse(reportOnly.verify(TestRegistry.REPO, subject).policyMet());
    }

    @Test
    void checkPull_sidecarAndAttestationManifests_stayFetchable() throws Exception {
        Digest sig = registry.sign(subject, RELEASE);
        Digest att = registry.attest(subject, new Statements(registry.json).cosignSign(TestRegistry.REF, subject), RELEASE);
        Digest unsigned = registry.pushArtifact("unsigned", null);

        for (Digest d : List.of(sig, att)) {
            byte[] raw = registry.content.manifest(TestRegistry.REPO, d).orElseThrow();
            assertTrue(verification.checkPull(TestRegistry.REPO, d, d, raw).allowed(), "sidecar " + d);
        }
        // an unsigned image tagged like a sidecar is still refused: exemption goes by content
        byte[] raw = registry.content.manifest(TestRegistry.REPO, unsigned).orElseThrow();
        assertFalse(verification.checkPull(TestRegistry.REPO, new Tag(unsigned.tagForm() + ".sig"), unsigned, raw).allowed());
    }

    @Test
    void verify_attestationSignedByTrustedKey_isVerifiedWithPredicateType() throws Exception {
        registry.sign(subject, RELEASE);
        Statements statements = new Statements(registry.json);
        registry.attest(subject, statements.slsaProvenance(provenance(subject)), RELEASE);

        VerificationReport report = report();

        assertEquals(1, report.attestations().size());
        Finding att = report.attestations().get(0);
        assertTrue(att.verified(), att.toString());
        assertEquals(Finding.Format.DSSE, att.format());
        assertEquals(Statements.SLSA_PROVENANCE_V1, att.predicateType());
        assertEquals("release", att.signer().keyName());
    }

    @Test
    void verify_attestationAboutAnotherDigest_isNotVerified() throws Exception {
        Digest other = registry.pushArtifact("app 2.0", "2.0");
        registry.attest(subject, new Statements(registry.json).slsaProvenance(provenance(other)), RELEASE);

        Finding att = report().attestations().get(0);

        assertFalse(att.verified());
        assertEquals("statement subjects do not include " + subject, att.reason());
    }

    @Test
    void verify_attestationByUntrustedKey_isNotVerified() throws Exception {
        registry.attest(subject, new Statements(registry.json).slsaProvenance(provenance(subject)), STRANGER);

        Finding att = report().attestations().get(0);

        assertFalse(att.verified());
        assertTrue(att.reason().contains("signature does not verify"), att.reason());
    }

    @Test
    void verify_requiredAttestationMissing_policyNotMet() throws Exception {
        registry.sign(subject, RELEASE);
        TrustPolicy strict = new TrustPolicy("strict", List.of(RepositoryPattern.parse("acme/*")),
                List.of(new TrustedKey("release", RELEASE.publicKey())), List.of(), Enforcement.PULL, List.of(Statements.SLSA_PROVENANCE_V1));
        SignatureVerification v = Policies.verifier(registry.content, strict);

        VerificationReport before = v.verify(TestRegistry.REPO, subject);
        registry.attest(subject, new Statements(registry.json).slsaProvenance(provenance(subject)), RELEASE);
        VerificationReport after = v.verify(TestRegistry.REPO, subject);

        assertFalse(before.policyMet());
        assertTrue(before.summary().contains("no verified attestation of type " + Statements.SLSA_PROVENANCE_V1), before.summary());
        assertTrue(after.policyMet(), after.summary());
    }

    @Test
    void verify_otherReferrersWithoutArtifactType_areIgnored() throws Exception {
        registry.sign(subject, RELEASE);
        byte[] subjectManifest = registry.content.manifest(TestRegistry.REPO, subject).orElseThrow();
        String sbom = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[],"
                + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":" + subjectManifest.length
                + ",\"digest\":\"" + subject + "\"}}";
        registry.content.putManifest(TestRegistry.REPO, sbom.getBytes(StandardCharsets.UTF_8), null);
        assertEquals(1, registry.content.referrers(TestRegistry.REPO, subject).size());

        VerificationReport report = report();

        assertTrue(report.policyMet());
        assertEquals(1, report.signatures().size());
    }

    @Test
    void verify_secondCall_isServedFromCache() throws Exception {
        registry.sign(subject, RELEASE);
        report();
        int reads = registry.content.blobReads.get();

        VerificationReport again = report();

        assertTrue(again.policyMet());
        assertEquals(reads, registry.content.blobReads.get(), "a cached result reads no blob");
    }

    @Test
    void verify_sidecarReplaced_isReevaluated() throws Exception {
        registry.sign(subject, STRANGER);
        assertFalse(report().policyMet());

        registry.sign(subject, RELEASE);

        assertTrue(report().policyMet());
    }

    @Test
    void verify_policyChanged_isNotServedFromOldCacheEntry() throws Exception {
        registry.sign(subject, RELEASE);
        assertTrue(report().policyMet());

        SignatureVerification reloaded = verification.withPolicies(new TrustPolicies(List.of(Policies.trusting(STRANGER, Enforcement.PULL)), null));

        assertFalse(reloaded.verify(TestRegistry.REPO, subject).policyMet());
        assertTrue(verification.verify(TestRegistry.REPO, subject).policyMet());
    }

    @Test
    void reportJson_ofMixedReport_hasDocumentedShape() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        registry.pushSignatures(subject, List.of(registry.layer(payload, RELEASE.sign(payload)), registry.layer(payload, "@@")));

        String json = new String(new ReportJson().write(report()), StandardCharsets.UTF_8);

        Map<?, ?> parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        assertEquals("acme/app", parsed.get("repository"));
        assertEquals(subject.toString(), parsed.get("digest"));
        assertEquals("release", parsed.get("policy"));
        assertEquals("pull", parsed.get("enforce"));
        assertEquals(true, parsed.get("policyMet"));
        List<?> sigs = (List<?>) parsed.get("signatures");
        Map<?, ?> good = (Map<?, ?>) sigs.get(0);
        Map<?, ?> bad = (Map<?, ?>) sigs.get(1);
        assertEquals("cosign-simple-signing", good.get("format"));
        assertEquals("tag", good.get("source"));
        assertEquals(true, good.get("verified"));
        assertEquals(RELEASE.publicKey().fingerprint(), ((Map<?, ?>) good.get("signer")).get("keyFingerprint"));
        assertFalse(good.containsKey("reason"));
        assertEquals(false, bad.get("verified"));
        assertEquals("signature annotation is not valid base64", bad.get("reason"));
        assertEquals(1, bad.get("layer"));
    }

    static Statements.Provenance provenance(Digest d) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ociRef", "oci://" + TestRegistry.REF);
        params.put("tag", "1.0");
        return new Statements.Provenance(TestRegistry.REF, d, "https://akua.dev/slsa/publish/v1", params, List.of(), "https://akua.dev/cli/v0.8.5");
    }

    private static void copyUnsigned(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
    }

    /** Lets a test store bytes under a digest they do not have. */
    private record InMemoryContentBackdoor(InMemoryContent content) {
        void putBlobAt(dev.akua.registry.oci.RepositoryName repo, Digest digest, byte[] bytes) {
            content.putBlobRaw(repo, digest, bytes);
        }
    }
}
