package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.signing.bundle.BundleVerifier;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.key.VerificationKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSignerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path keyDir;
    @TempDir
    Path work;

    private TestRegistry registry;
    private ServerSigner signer;
    private VerificationKey releaseKey;
    private Digest subject;

    @BeforeEach
    void setUp() throws Exception {
        registry = new TestRegistry();
        SigningKeyStore store = new SigningKeyStore(keyDir, "PASS", Map.of("PASS", "pw")::get);
        releaseKey = store.generate("release", KeyKind.ECDSA_P256, RANDOM);
        signer = new ServerSigner(registry.content, store, VerificationLimits.defaults(), CLOCK);
        subject = registry.pushArtifact("app 1.0", "1.0");
    }

    private SignatureVerification verifier() {
        TrustPolicy policy = new TrustPolicy("release", List.of(RepositoryPattern.parse("acme/**")),
                List.of(new TrustedKey("release", releaseKey)), List.of(), Enforcement.PULL, List.of());
        return Policies.verifier(registry.content, policy);
    }

    private SignRequest request(boolean bundle) {
        return new SignRequest(TestRegistry.REPO, subject, "release", TestRegistry.REF, bundle);
    }

    @Test
    void sign_withoutSidecar_producesAkuaSidecarThatVerifies() throws Exception {
        SigningResult result = signer.sign(request(false));

        assertEquals(2, result.blobs().size());
        assertEquals(1, result.manifests().size());
        ManifestUpload sidecar = result.manifests().get(0);
        assertEquals(SidecarManifests.signatureTag(subject), sidecar.tag());
        assertEquals(MediaTypes.OCI_MANIFEST, sidecar.mediaType());
        assertNull(result.basedOn());
        assertEquals(releaseKey.fingerprint(), result.keyFingerprint());
        String text = new String(sidecar.content(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,"), text);

        registry.content.apply(TestRegistry.REPO, result);
        VerificationReport report = verifier().verify(TestRegistry.REPO, subject);
        assertTrue(report.policyMet(), report.summary());
    }

    @Test
    void sign_result_verifiesWithOpenssl() throws Exception {
        SigningResult result = signer.sign(request(false));
        BlobUpload payload = result.blobs().stream().filter(b -> b.mediaType().equals(MediaTypes.COSIGN_SIMPLE_SIGNING)).findFirst().orElseThrow();
        ManifestContent sidecar = new ManifestParser().parse(result.manifests().get(0).content(), null);
        String sig = sidecar.layers().get(0).annotations().get(SimpleSigning.SIGNATURE_ANNOTATION);
        Files.write(work.resolve("payload.json"), payload.content());
        Files.write(work.resolve("sig.der"), Base64.getDecoder().decode(sig));
        Files.writeString(work.resolve("pub.pem"), releaseKey.pem());

        Openssl.Result r = Openssl.run(work, "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "payload.json");

        assertEquals(0, r.exit(), r.output());
        assertEquals("Verified OK", r.output().strip());
    }

    @Test
    void sign_withExistingAkuaSidecar_appendsLayerKeepingTheFirst() throws Exception {
        SigningKey other = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);
        Digest existing = registry.sign(subject, other);
        byte[] before = registry.content.manifest(TestRegistry.REPO, existing).orElseThrow();

        SigningResult result = signer.sign(request(false));

        assertEquals(existing, result.basedOn());
        byte[] after = result.manifests().get(0).content();
        ManifestContent parsed = new ManifestParser().parse(after, null);
        assertEquals(2, parsed.layers().size());
        assertEquals(SidecarManifests.EMPTY_CONFIG_DIGEST, parsed.config().digest());
        String beforeText = new String(before, StandardCharsets.UTF_8);
        String afterText = new String(after, StandardCharsets.UTF_8);
        String firstLayer = beforeText.substring(beforeText.indexOf("\"layers\":[") , beforeText.length() - 2);
        assertTrue(afterText.startsWith(beforeText.substring(0, beforeText.length() - 2) + ",{"), afterText);
        assertTrue(afterText.contains(firstLayer));
        registry.content.apply(TestRegistry.REPO, result);
        VerificationReport report = verifier().verify(TestRegistry.REPO, subject);
        assertFalse(report.signatures().get(0).verified());
        assertTrue(report.signatures().get(1).verified());
    }

    @Test
    void sign_twiceWithSameKey_isDetectedAsDuplicate() throws Exception {
        registry.content.apply(TestRegistry.REPO, signer.sign(request(false)));

        SigningResult again = signer.sign(request(false));

        assertTrue(again.alreadySigned());
        assertTrue(again.blobs().isEmpty());
        assertTrue(again.manifests().isEmpty());
    }

    @Test
    void sign_withCosignImageConfig_growsDiffIdsAndHistoryLikeGoContainerregistry() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        SidecarLayer first = registry.layer(payload, SigningKey.generate(KeyKind.ECDSA_P256, RANDOM).sign(payload));
        byte[] config = ("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"}],"
                + "\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + first.digest() + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = registry.content.putBlob(TestRegistry.REPO, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length + ",\"digest\":\"" + configDigest + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + first.size() + ",\"digest\":\"" + first.digest()
                + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + first.annotations().get(SimpleSigning.SIGNATURE_ANNOTATION) + "\"}}]}";
        registry.content.putManifest(TestRegistry.REPO, manifest.getBytes(StandardCharsets.UTF_8), SidecarManifests.signatureTag(subject).value());

        SigningResult result = signer.sign(request(false));

        BlobUpload newConfig = result.blobs().stream().filter(b -> b.mediaType().equals(MediaTypes.OCI_CONFIG)).findFirst().orElseThrow();
        String configText = new String(newConfig.content(), StandardCharsets.UTF_8);
        Digest payloadDigest = result.blobs().get(0).digest();
        assertEquals("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":\"0001-01-01T00:00:00Z\"},"
                + "{\"created\":\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + first.digest() + "\",\""
                + payloadDigest + "\"]},\"config\":{}}", configText);
        ManifestContent parsed = new ManifestParser().parse(result.manifests().get(0).content(), null);
        assertEquals(newConfig.digest(), parsed.config().digest());
        assertEquals(newConfig.content().length, parsed.config().size());
    }

    @Test
    void sign_sidecarAtLimit_isRefused() throws Exception {
        byte[] payload = registry.payloadFor(subject);
        registry.pushSignatures(subject, TestRegistry.repeat(registry.layer(payload, "AAAA"), 100));

        SigningException e = assertThrows(SigningException.class, () -> signer.sign(request(false)));

        assertEquals(SigningException.Reason.TOO_MANY_SIGNATURES, e.reason());
    }

    @Test
    void sign_unknownSubjectOrKey_isRefusedWithReason() {
        SignRequest unknownSubject = new SignRequest(TestRegistry.REPO, Digest.sha256(new byte[]{1}), "release", TestRegistry.REF, false);
        SignRequest unknownKey = new SignRequest(TestRegistry.REPO, subject, "nope", TestRegistry.REF, false);

        assertEquals(SigningException.Reason.SUBJECT_UNKNOWN, assertThrows(SigningException.class, () -> signer.sign(unknownSubject)).reason());
        assertEquals(SigningException.Reason.KEY_UNKNOWN, assertThrows(SigningException.class, () -> signer.sign(unknownKey)).reason());
    }

    @Test
    void sign_withBundle_writesReferrerThatVerifiesAsSignature() throws Exception {
        SigningResult result = signer.sign(request(true));

        assertEquals(2, result.manifests().size());
        ManifestUpload referrer = result.manifests().get(1);
        assertNull(referrer.tag());
        ManifestContent parsed = new ManifestParser().parse(referrer.content(), null);
        assertEquals(BundleVerifier.BUNDLE_MEDIA_TYPE_V03, parsed.artifactType());
        assertEquals(subject, parsed.subject().digest());
        assertEquals(MediaTypes.OCI_MANIFEST, parsed.subject().mediaType());
        assertEquals(MediaTypes.OCI_EMPTY, parsed.config().mediaType());
        assertEquals("dsse-envelope", parsed.annotations().get("dev.sigstore.bundle.content"));
        assertEquals(Statements.COSIGN_SIGN_V1, parsed.annotations().get("dev.sigstore.bundle.predicateType"));
        assertEquals("2026-11-21T10:00:00Z", parsed.annotations().get("org.opencontainers.image.created"));

        registry.content.apply(TestRegistry.REPO, result);
        VerificationReport report = verifier().verify(TestRegistry.REPO, subject);
        Finding bundle = report.signatures().stream().filter(f -> f.format() == Finding.Format.SIGSTORE_BUNDLE).findFirst().orElseThrow();
        assertTrue(bundle.verified(), bundle.toString());
        assertEquals(Finding.Source.REFERRER, bundle.source());
        assertEquals(Statements.COSIGN_SIGN_V1, bundle.predicateType());
        assertEquals("release", bundle.signer().keyName());
        assertEquals(2, report.signatures().stream().filter(Finding::verified).count());
    }

    @Test
    void bundleReferrer_withTamperedStatement_isNotVerified() throws Exception {
        SigningResult result = signer.sign(request(true));
        BlobUpload bundle = result.blobs().stream().filter(b -> b.mediaType().equals(BundleVerifier.BUNDLE_MEDIA_TYPE_V03)).findFirst().orElseThrow();
        String text = new String(bundle.content(), StandardCharsets.UTF_8);
        String payloadB64 = text.replaceAll(".*\"payload\":\"([^\"]+)\".*", "$1");
        String statement = new String(Base64.getDecoder().decode(payloadB64), StandardCharsets.UTF_8).replace("cosign/sign/v1", "cosign/sign/v2");
        byte[] tampered = text.replace(payloadB64, Base64.getEncoder().encodeToString(statement.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        Digest tamperedDigest = registry.content.putBlob(TestRegistry.REPO, tampered);
        registry.content.putBlob(TestRegistry.REPO, SidecarManifests.EMPTY_CONFIG);
        byte[] referrer = new String(result.manifests().get(1).content(), StandardCharsets.UTF_8)
                .replace(bundle.digest().toString(), tamperedDigest.toString())
                .replace("\"size\":" + bundle.content().length + ",", "\"size\":" + tampered.length + ",")
                .getBytes(StandardCharsets.UTF_8);
        registry.content.putManifest(TestRegistry.REPO, referrer, null);

        VerificationReport report = verifier().verify(TestRegistry.REPO, subject);

        Finding f = report.attestations().isEmpty() ? report.signatures().get(0) : report.attestations().get(0);
        assertFalse(f.verified());
        assertTrue(f.reason().contains("signature does not verify"), f.reason());
    }

    @Test
    void attest_provenance_isAppendedToAttSidecarAndVerifies() throws Exception {
        byte[] statement = new Statements(registry.json).slsaProvenance(SignatureVerificationTest.provenance(subject));

        SigningResult result = signer.attest(TestRegistry.REPO, subject, "release", statement);
        registry.content.apply(TestRegistry.REPO, result);

        assertEquals(SidecarManifests.attestationTag(subject), result.manifests().get(0).tag());
        Finding att = verifier().verify(TestRegistry.REPO, subject).attestations().get(0);
        assertTrue(att.verified(), att.toString());
        assertEquals(Statements.SLSA_PROVENANCE_V1, att.predicateType());
        BlobUpload envelope = result.blobs().get(0);
        assertEquals(MediaTypes.DSSE_ENVELOPE, envelope.mediaType());
        assertArrayEquals(envelope.content(), registry.content.openBlob(TestRegistry.REPO, envelope.digest()).orElseThrow().readAllBytes());
    }
}
