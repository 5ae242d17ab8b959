package dev.akua.registry.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.signing.SignatureContent;
import dev.akua.registry.signing.SigningException;
import dev.akua.registry.signing.SigningKeyStore;
import dev.akua.registry.signing.VerificationLimits;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.VerificationKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishSignerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RepositoryName REPO = RepositoryName.parse("acme/hello");
    private static final String REF = "reg.example:5000/acme/hello";

    private final FakeRepository repo = new FakeRepository();
    private SigningKeyStore keys;
    private VerificationKey publicKey;
    private PublishSigner signer;
    private Publication publication;
    private byte[] statement;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        keys = new SigningKeyStore(dir, "PASS", name -> "correct horse");
        publicKey = keys.generate("release", KeyKind.ECDSA_P256, new SecureRandom());
        signer = new PublishSigner(repo, keys, VerificationLimits.defaults(),
                Clock.fixed(Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC));
        publication = new Publisher(PublishLimits.defaults()).publish(Fixtures.request(Shape.HELM_CHART),
                new ByteArrayInputStream(Fixtures.render().tgz()));
        statement = new ProvenanceStatement().statement(publication, REF, "http://reg.example:5000");
    }

    @Test
    void sign_newPublication_signatureAttestationAndReferrerBeforeAnythingIsStored() throws Exception {
        PublishSigner.Signed s = signer.sign(publication, REPO, "release", true, statement, REF);

        assertEquals(publicKey.fingerprint(), s.keyFingerprint());
        assertEquals("sha256-" + publication.manifest().digest().hex() + ".sig", s.signatureTag().value());
        assertEquals(3, s.manifests().size());
        assertEquals(Map.of(s.signatureTag(), Optional.empty(), s.attestationTag(), Optional.empty()), s.basedOn());

        // .sig: cosign simple signing over the manifest digest, verifiable with the public key
        JsonNode sig = JSON.readTree(manifestTagged(s, s.signatureTag().value()).content());
        JsonNode layer = sig.at("/layers/0");
        assertEquals(MediaTypes.COSIGN_SIMPLE_SIGNING, layer.get("mediaType").asText());
        byte[] payload = blob(s, Digest.parse(layer.get("digest").asText())).content();
        assertEquals(publication.manifest().digest().toString(),
                JSON.readTree(payload).at("/critical/image/docker-manifest-digest").asText());
        assertEquals(REF, JSON.readTree(payload).at("/critical/identity/docker-reference").asText());
        byte[] der = Base64.getDecoder().decode(layer.at("/annotations/dev.cosignproject.cosign~1signature").asText());
        assertTrue(publicKey.verify(payload, der).valid());

        // .att: DSSE around the provenance statement, naming the source package digest
        JsonNode att = JSON.readTree(manifestTagged(s, s.attestationTag().value()).content());
        assertEquals(MediaTypes.DSSE_ENVELOPE, att.at("/layers/0/mediaType").asText());
        byte[] envelopeBytes = blob(s, Digest.parse(att.at("/layers/0/digest").asText())).content();
        Dsse.Envelope envelope = new Dsse(new dev.akua.registry.signing.wire.WireJson()).parse(envelopeBytes, 4);
        assertTrue(Dsse.verify(envelope, List.of(publicKey)).ok());
        JsonNode st = JSON.readTree(envelope.payload());
        assertEquals("https://slsa.dev/provenance/v1", st.get("predicateType").asText());
        assertEquals(publication.manifest().digest().hex(), st.at("/subject/0/digest/sha256").asText());
        assertEquals(REF, st.at("/subject/0/name").asText());
        JsonNode deps = st.at("/predicate/buildDefinition/resolvedDependencies");
        assertEquals(ProvenanceStatement.SOURCE_PACKAGE, deps.get(0).get("name").asText());
        assertEquals(Fixtures.SOURCE.hex(), deps.get(0).at("/digest/sha256").asText());
        assertEquals("oci://reg.example/acme/hello-src:1.2.3", deps.get(0).get("uri").asText());
        assertEquals(publication.input().renderedDigest().hex(), deps.get(1).at("/digest/sha256").asText());
        assertEquals(publication.input().archiveDigest().toString(), st.at("/predicate/buildDefinition/externalParameters/archiveDigest").asText());

        // referrer: a Sigstore bundle holding the same envelope, subject = the publication
        ManifestUpload referrer = s.manifests().get(2);
        assertEquals(s.attestationReferrer(), referrer.digest());
        JsonNode r = JSON.readTree(referrer.content());
        assertEquals(publication.manifest().digest().toString(), r.at("/subject/digest").asText());
        assertEquals("https://slsa.dev/provenance/v1", r.at("/annotations/dev.sigstore.bundle.predicateType").asText());
        JsonNode bundle = JSON.readTree(blob(s, Digest.parse(r.at("/layers/0/digest").asText())).content());
        assertEquals(Base64.getEncoder().encodeToString(envelope.payload()), bundle.at("/dsseEnvelope/payload").asText());
    }

    @Test
    void sign_again_afterStoring_alreadySignedAndAttested() throws Exception {
        PublishSigner.Signed first = signer.sign(publication, REPO, "release", true, statement, REF);
        repo.store(publication.manifest(), publication.blobs());
        for (ManifestUpload m : first.manifests()) {
            repo.store(m, first.blobs());
        }
        PublishSigner.Signed second = signer.sign(publication, REPO, "release", true, statement, REF);
        assertTrue(second.alreadySigned());
        assertTrue(second.alreadyAttested());
        assertTrue(second.manifests().isEmpty());

        byte[] otherStatement = new ProvenanceStatement().statement(publication, REF, "http://elsewhere");
        PublishSigner.Signed third = signer.sign(publication, REPO, "release", false, otherStatement, REF);
        assertFalse(third.alreadyAttested());
        JsonNode att = JSON.readTree(third.manifests().get(0).content());
        assertEquals(2, att.get("layers").size(), "appended to the existing .att as cosign appends");
        assertEquals(Optional.of(first.manifests().get(1).digest()), third.basedOn().get(third.attestationTag()));
    }

    @Test
    void sign_unknownKey_refusedBeforeAnything() {
        SigningException e = assertThrows(SigningException.class, () -> signer.sign(publication, REPO, "nope", true, statement, REF));
        assertEquals(SigningException.Reason.KEY_UNKNOWN, e.reason());
    }

    private static ManifestUpload manifestTagged(PublishSigner.Signed s, String tag) {
        return s.manifests().stream().filter(m -> m.tag() != null && m.tag().value().equals(tag)).findFirst().orElseThrow();
    }

    private static BlobUpload blob(PublishSigner.Signed s, Digest d) {
        return s.blobs().stream().filter(b -> b.digest().equals(d)).findFirst().orElseThrow();
    }

    /** A repository in memory: manifests by digest and tag, blobs by digest. */
    private static final class FakeRepository implements SignatureContent {
        private final Map<Reference, byte[]> manifests = new HashMap<>();
        private final Map<Digest, byte[]> blobs = new HashMap<>();

        void store(ManifestUpload m, List<BlobUpload> with) {
            with.forEach(b -> blobs.put(b.digest(), b.content()));
            manifests.put(m.digest(), m.content());
            if (m.tag() != null) {
                manifests.put(m.tag(), m.content());
            }
        }

        @Override
        public Optional<byte[]> manifest(RepositoryName repository, Reference reference) {
            return Optional.ofNullable(manifests.get(reference));
        }

        @Override
        public List<Descriptor> referrers(RepositoryName repository, Digest subject) {
            return new ArrayList<>();
        }

        @Override
        public Optional<InputStream> openBlob(RepositoryName repository, Digest digest) {
            byte[] b = blobs.get(digest);
            return b == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(b));
        }
    }

    @Test
    void statement_withoutSourceRef_leavesItOut() throws Exception {
        Publication p = new Publisher(PublishLimits.defaults()).publish(
                new PublishRequest(Shape.OCI_BUNDLE, "hello", "1.0.0", "", null, Fixtures.SOURCE, null),
                new ByteArrayInputStream(Fixtures.render().tgz()));
        JsonNode st = JSON.readTree(new ProvenanceStatement().statement(p, REF, "http://r"));
        assertNotNull(st.at("/predicate/buildDefinition/externalParameters/as").asText());
        assertTrue(st.at("/predicate/buildDefinition/externalParameters/sourceRef").isMissingNode());
        assertTrue(st.at("/predicate/buildDefinition/resolvedDependencies/0/uri").isMissingNode());
        assertEquals("oci-bundle", st.at("/predicate/buildDefinition/externalParameters/as").asText());
    }
}
