package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.bundle.BundleArtifacts;
import dev.akua.registry.signing.bundle.TestSigstore;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.wire.WireJson;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keyless signatures as cosign v3 stores them, made by the signing module's {@link TestSigstore}
 * (own CA, own log key): a DSSE bundle signed by a leaf certificate, pushed as an OCI 1.1 referrer
 * of the signed manifest.
 */
final class KeylessFixtures {
    static final String ISSUER = TestSigstore.ISSUER;

    private final TestSigstore sigstore = new TestSigstore();

    /** Sigstore's trusted_root.json for this CA and log, as {@code signing.trustedRoot} reads it. */
    byte[] trustedRoot() {
        return sigstore.trustedRoot();
    }

    /**
     * Pushes a bundle referrer of {@code subject} signed by a leaf certificate for {@code identity},
     * valid over [notBefore, notAfter] and logged at {@code integrated}; {@code tamper} may change the
     * bundle before it is made. Returns the referrer manifest's digest.
     */
    Digest pushBundle(Oci oci, String repo, String dockerReference, Digest subject, long subjectSize, String identity,
                      Instant notBefore, Instant notAfter, Instant integrated, Consumer<TestSigstore.BundleSpec> tamper) {
        WireJson json = new WireJson();
        TestSigstore.Leaf leaf = sigstore.issue(identity, ISSUER, notBefore, notAfter);
        byte[] statement = new Statements(json).cosignSign(dockerReference, subject);
        TestSigstore.BundleSpec spec = sigstore.spec(statement, leaf, integrated);
        tamper.accept(spec);
        byte[] bundle = sigstore.dsseBundle(spec);
        Digest bundleDigest = oci.pushBlob(repo, bundle);
        oci.pushBlob(repo, SidecarManifests.EMPTY_CONFIG);
        byte[] manifest = new BundleArtifacts(json).referrerManifest(bundleDigest, bundle.length, MediaTypes.OCI_MANIFEST,
                subject, subjectSize, Statements.COSIGN_SIGN_V1, Instant.now());
        Digest digest = Digest.sha256(manifest);
        Http.Resp r = oci.putManifest(repo, digest.toString(), manifest, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        assertEquals(subject.toString(), r.header("OCI-Subject").orElseThrow());
        return digest;
    }

    /** A bundle from a certificate valid now, logged a minute after it was issued. */
    Digest pushValidBundle(Oci oci, String repo, String dockerReference, Digest subject, long subjectSize, String identity) {
        Instant now = Instant.now();
        return pushBundle(oci, repo, dockerReference, subject, subjectSize, identity, now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofMinutes(5)), now.minus(Duration.ofMinutes(4)), spec -> { });
    }
}
