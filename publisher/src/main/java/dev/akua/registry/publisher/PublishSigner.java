package dev.akua.registry.publisher;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.signing.ServerSigner;
import dev.akua.registry.signing.SignRequest;
import dev.akua.registry.signing.SignatureContent;
import dev.akua.registry.signing.SigningKeyStore;
import dev.akua.registry.signing.SigningResult;
import dev.akua.registry.signing.VerificationLimits;
import dev.akua.registry.signing.bundle.BundleArtifacts;
import dev.akua.registry.signing.bundle.BundleVerifier;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.key.VerificationKey;
import dev.akua.registry.signing.wire.BoundedRead;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Signs and attests a {@link Publication} with a key the registry holds, <em>before</em> the
 * publication is stored, so a signing failure (key unknown or locked, sidecar full) leaves nothing
 * behind. The signing module's {@link ServerSigner} does the work, reading the repository through an
 * overlay in which the publication's manifest and blobs are already present.
 *
 * <p>Produces, for the registry's normal push path (after the publication itself):
 * <ul>
 * <li>the cosign signature appended to {@code sha256-<hex>.sig} (akua's compact sidecar when new;
 *     nothing when this key already signed the digest: cosign's duplicate detection);</li>
 * <li>the SLSA provenance in a DSSE envelope appended to {@code sha256-<hex>.att} (akua's
 *     attestation sidecar, wire contract §3.5), unless the sidecar already holds the identical
 *     statement signed by this key;</li>
 * <li>the same envelope as an OCI 1.1 referrer: a key-based Sigstore bundle (cosign's bundle layout,
 *     {@code dev.sigstore.bundle.predicateType} = SLSA provenance v1) whose {@code subject} is the
 *     publication.</li>
 * </ul>
 */
public final class PublishSigner {
    private final SignatureContent content;
    private final SigningKeyStore keys;
    private final VerificationLimits limits;
    private final Clock clock;
    private final WireJson json = new WireJson();
    private final Dsse dsse = new Dsse(json);
    private final BundleArtifacts bundles = new BundleArtifacts(json);
    private final ManifestParser parser = new ManifestParser();

    public PublishSigner(SignatureContent content, SigningKeyStore keys, VerificationLimits limits, Clock clock) {
        this.content = Objects.requireNonNull(content, "content");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What to push after the publication, in order.
     *
     * @param blobs               blobs first
     * @param manifests           then manifests ({@code .sig}, {@code .att}, the referrer), in order
     * @param keyFingerprint      the key's fingerprint
     * @param signatureTag        the {@code .sig} tag, or null when not signing
     * @param attestationTag      the {@code .att} tag, or null when not attesting
     * @param attestationReferrer digest of the referrer manifest, or null
     * @param basedOn             for each sidecar tag in {@code manifests}, the digest it pointed at when
     *                            the new sidecar was made (null: none); the tag should only move if it still does
     * @param alreadySigned       this key had already signed the digest
     * @param alreadyAttested     the identical statement was already attested with this key
     */
    public record Signed(List<BlobUpload> blobs, List<ManifestUpload> manifests, String keyFingerprint, Tag signatureTag,
                         Tag attestationTag, Digest attestationReferrer, Map<Tag, Optional<Digest>> basedOn,
                         boolean alreadySigned, boolean alreadyAttested) {
        public Signed {
            blobs = List.copyOf(blobs);
            manifests = List.copyOf(manifests);
            basedOn = Map.copyOf(basedOn);
        }
    }

    /**
     * @param keyName             the registry key to use
     * @param sign                write a cosign signature
     * @param statement           the in-toto statement to attest ({@link ProvenanceStatement}), or null for none
     * @param repositoryReference {@code <host>/<repository>}: the signature's {@code docker-reference}
     */
    public Signed sign(Publication publication, RepositoryName repository, String keyName, boolean sign, byte[] statement,
                       String repositoryReference) throws IOException {
        Overlay overlay = new Overlay(content, publication);
        ServerSigner signer = new ServerSigner(overlay, keys, limits, clock);
        Digest subject = publication.manifest().digest();
        VerificationKey publicKey = keys.publicKey(keyName);
        List<BlobUpload> blobs = new ArrayList<>();
        List<ManifestUpload> manifests = new ArrayList<>();
        Map<Tag, Optional<Digest>> basedOn = new java.util.HashMap<>();
        Tag signatureTag = null;
        boolean alreadySigned = false;
        if (sign) {
            SigningResult signed = signer.sign(new SignRequest(repository, subject, keyName, repositoryReference, false));
            signatureTag = SidecarManifests.signatureTag(subject);
            alreadySigned = signed.alreadySigned();
            if (!alreadySigned) {
                blobs.addAll(signed.blobs());
                manifests.addAll(signed.manifests());
                basedOn.put(signatureTag, Optional.ofNullable(signed.basedOn()));
            }
        }
        Tag attestationTag = null;
        Digest referrer = null;
        boolean alreadyAttested = false;
        if (statement != null) {
            attestationTag = SidecarManifests.attestationTag(subject);
            alreadyAttested = alreadyAttested(overlay, repository, attestationTag, statement, publicKey);
            if (!alreadyAttested) {
                SigningResult attested = signer.attest(repository, subject, keyName, statement);
                blobs.addAll(attested.blobs());
                manifests.addAll(attested.manifests());
                basedOn.put(attestationTag, Optional.ofNullable(attested.basedOn()));
                BlobUpload envelopeBlob = attested.blobs().stream()
                        .filter(b -> b.mediaType().equals(MediaTypes.DSSE_ENVELOPE)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the attestation holds no DSSE envelope"));
                Dsse.Envelope envelope = dsse.parse(envelopeBlob.content(), 1);
                byte[] bundle = bundles.keyedDsseBundle(envelope, publicKey);
                Digest bundleDigest = Digest.sha256(bundle);
                byte[] referrerManifest = bundles.referrerManifest(bundleDigest, bundle.length, MediaTypes.OCI_MANIFEST,
                        subject, publication.manifest().content().length, Statements.SLSA_PROVENANCE_V1, clock.instant());
                blobs.add(new BlobUpload(bundleDigest, BundleVerifier.BUNDLE_MEDIA_TYPE_V03, bundle));
                blobs.add(new BlobUpload(SidecarManifests.EMPTY_CONFIG_DIGEST, MediaTypes.OCI_EMPTY, SidecarManifests.EMPTY_CONFIG));
                ManifestUpload referrerUpload = new ManifestUpload(Digest.sha256(referrerManifest), MediaTypes.OCI_MANIFEST,
                        referrerManifest, null);
                manifests.add(referrerUpload);
                referrer = referrerUpload.digest();
            }
        }
        return new Signed(dedupe(blobs), manifests, publicKey.fingerprint(), signatureTag, attestationTag, referrer, basedOn,
                alreadySigned, alreadyAttested);
    }

    /** True when the {@code .att} sidecar holds a DSSE layer with exactly {@code statement}, verified by {@code key}. */
    private boolean alreadyAttested(SignatureContent repo, RepositoryName repository, Tag tag, byte[] statement,
                                    VerificationKey key) throws IOException {
        Optional<byte[]> sidecar = repo.manifest(repository, tag);
        if (sidecar.isEmpty()) {
            return false;
        }
        ManifestContent parsed;
        try {
            parsed = parser.parse(sidecar.get(), null);
        } catch (OciException e) {
            return false; // ServerSigner.attest reports the broken sidecar
        }
        for (Descriptor layer : parsed.layers()) {
            if (!layer.mediaType().equals(MediaTypes.DSSE_ENVELOPE) || layer.size() > limits.maxEnvelopeBytes()) {
                continue;
            }
            Optional<InputStream> in = repo.openBlob(repository, layer.digest());
            if (in.isEmpty()) {
                continue;
            }
            byte[] bytes;
            try (InputStream stream = in.get()) {
                bytes = BoundedRead.readAtMost(stream, limits.maxEnvelopeBytes());
            }
            if (bytes == null || !Digest.sha256(bytes).equals(layer.digest())) {
                continue;
            }
            try {
                Dsse.Envelope envelope = dsse.parse(bytes, limits.maxSignatureLayers());
                if (Arrays.equals(envelope.payload(), statement) && Dsse.verify(envelope, List.of(key)).ok()) {
                    return true;
                }
            } catch (WireFormatException e) {
                // someone else's malformed layer: not ours
            }
        }
        return false;
    }

    private static List<BlobUpload> dedupe(List<BlobUpload> blobs) {
        return List.copyOf(blobs.stream().collect(Collectors.toMap(BlobUpload::digest, Function.identity(), (a, b) -> a,
                java.util.LinkedHashMap::new)).values());
    }

    /** The repository as it will be once the publication is stored. */
    private static final class Overlay implements SignatureContent {
        private final SignatureContent base;
        private final Publication publication;

        Overlay(SignatureContent base, Publication publication) {
            this.base = base;
            this.publication = publication;
        }

        @Override
        public Optional<byte[]> manifest(RepositoryName repository, Reference reference) throws IOException {
            ManifestUpload m = publication.manifest();
            if (reference.equals(m.digest()) || reference.equals(m.tag())) {
                return Optional.of(m.content());
            }
            return base.manifest(repository, reference);
        }

        @Override
        public List<Descriptor> referrers(RepositoryName repository, Digest subject) throws IOException {
            return base.referrers(repository, subject);
        }

        @Override
        public Optional<InputStream> openBlob(RepositoryName repository, Digest digest) throws IOException {
            for (BlobUpload b : publication.blobs()) {
                if (b.digest().equals(digest)) {
                    return Optional.of(new ByteArrayInputStream(b.content()));
                }
            }
            return base.openBlob(repository, digest);
        }
    }
}
