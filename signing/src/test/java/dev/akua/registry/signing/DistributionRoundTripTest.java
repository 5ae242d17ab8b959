package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server signer produces (sidecar appended to an akua sidecar, .att sidecar) is accepted by
 * a real CNCF Distribution registry and verifies when read back over HTTP through an HTTP
 * implementation of the port. Needs the Debian package {@code docker-registry}.
 *
 * <p>Note: Debian's skopeo 1.9.3 is built with sigstore disabled ("Debian-local change: sigstore
 * disabled"), so it can neither sign with {@code --sign-by-sigstore-private-key} nor verify a
 * {@code sigstoreSigned} policy; it cannot serve as an independent cosign implementation here.
 */
class DistributionRoundTripTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RepositoryName REPO = RepositoryName.parse("acme/app");

    @TempDir
    Path dir;
    private DistributionRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = new DistributionRegistry(dir);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void serverSignatures_pushedToDistribution_verifyOverHttp() throws Exception {
        registry.pushBlob(REPO, AkuaVector.LAYER);
        registry.pushBlob(REPO, AkuaVector.CONFIG);
        Digest subject = registry.pushManifest(REPO, "0.8.5", MediaTypes.OCI_MANIFEST, AkuaVector.manifest());
        assertEquals(AkuaVector.MANIFEST_DIGEST, subject.toString());
        // an akua-made sidecar by another key first, as akua publish would push it
        SigningKey akuaKey = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);
        TestRegistry shapes = new TestRegistry();
        byte[] payload = shapes.payloadFor(subject);
        registry.pushBlob(REPO, payload);
        registry.pushBlob(REPO, dev.akua.registry.signing.cosign.SidecarManifests.EMPTY_CONFIG);
        registry.pushManifest(REPO, dev.akua.registry.signing.cosign.SidecarManifests.signatureTag(subject).value(), MediaTypes.OCI_MANIFEST,
                shapes.sidecars.build(List.of(shapes.layer(payload, akuaKey.sign(payload)))));
        SigningKeyStore store = new SigningKeyStore(dir.resolve("keys"), "PASS", Map.of("PASS", "pw")::get);
        store.generate("release", KeyKind.ECDSA_P256, RANDOM);
        ServerSigner signer = new ServerSigner(registry, store, VerificationLimits.defaults(), Clock.systemUTC());

        registry.push(REPO, signer.sign(new SignRequest(REPO, subject, "release", registry.host + "/" + REPO, false)));
        registry.push(REPO, signer.attest(REPO, subject, "release",
                new Statements(shapes.json).slsaProvenance(SignatureVerificationTest.provenance(subject))));

        TrustPolicy policy = new TrustPolicy("release", List.of(RepositoryPattern.parse("acme/**")),
                List.of(new TrustedKey("release", store.publicKey("release"))), List.of(), Enforcement.PULL, List.of(Statements.SLSA_PROVENANCE_V1));
        VerificationReport report = new SignatureVerification(registry, new TrustPolicies(List.of(policy), null), VerificationLimits.defaults())
                .verify(REPO, subject);
        assertTrue(report.policyMet(), report.summary());
        assertEquals(2, report.signatures().size());
        assertFalse(report.signatures().get(0).verified(), "the akua key is not trusted by this policy");
        assertTrue(report.signatures().get(1).verified());
        assertTrue(report.attestations().get(0).verified());
    }
}
