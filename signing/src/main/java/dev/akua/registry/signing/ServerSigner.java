package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.signing.bundle.BundleArtifacts;
import dev.akua.registry.signing.bundle.BundleVerifier;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.wire.BoundedRead;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs and attests manifests with keys the registry holds, producing exactly what cosign would
 * push, for the registry to store through its normal push path.
 *
 * <p>{@link #sign}: the simple-signing payload for the digest, signed with the key (base64 DER in
 * the layer annotation), appended to the {@code sha256-<hex>.sig} sidecar as cosign appends
 * (a new sidecar is in akua's exact compact form); optionally also a key-based Sigstore bundle (DSSE,
 * {@code https://sigstore.dev/cosign/sign/v1}) as an OCI 1.1 referrer. {@link #attest}: a DSSE
 * envelope around a given in-toto statement appended to the {@code .att} sidecar (the publisher
 * module's SLSA provenance goes through here).
 *
 * <p>Read-modify-write: two concurrent signings of one digest can race on the sidecar tag;
 * {@link SigningResult#basedOn()} lets the registry detect that.
 */
public final class ServerSigner {
    private static final int MAX_CONFIG_BYTES = 64 * 1024;

    private final SignatureContent content;
    private final SigningKeyStore keys;
    private final VerificationLimits limits;
    private final Clock clock;
    private final SimpleSigning simpleSigning;
    private final SidecarManifests sidecars;
    private final Dsse dsse;
    private final Statements statements;
    private final BundleArtifacts bundles;
    private final ManifestParser parser = new ManifestParser();

    public ServerSigner(SignatureContent content, SigningKeyStore keys, VerificationLimits limits, Clock clock) {
        this.content = Objects.requireNonNull(content, "content");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        WireJson json = new WireJson();
        this.simpleSigning = new SimpleSigning(json);
        this.sidecars = new SidecarManifests(json);
        this.dsse = new Dsse(json);
        this.statements = new Statements(json);
        this.bundles = new BundleArtifacts(json);
    }

    /** Signs {@code request.subject()}; see the class comment for what is produced. */
    public SigningResult sign(SignRequest request) throws IOException {
        RepositoryName repo = request.repository();
        Digest subject = request.subject();
        byte[] subjectManifest = content.manifest(repo, subject)
                .orElseThrow(() -> new SigningException(SigningException.Reason.SUBJECT_UNKNOWN,
                        "manifest " + subject + " is not in repository " + repo));
        SigningKey key = keys.signingKey(request.keyName());

        byte[] payload = simpleSigning.payload(request.dockerReference(), subject);
        Digest payloadDigest = Digest.sha256(payload);
        String signature = Base64.getEncoder().encodeToString(key.sign(payload));
        SidecarLayer layer = new SidecarLayer(MediaTypes.COSIGN_SIMPLE_SIGNING, payloadDigest, payload.length,
                Map.of(SimpleSigning.SIGNATURE_ANNOTATION, signature));

        Tag tag = SidecarManifests.signatureTag(subject);
        Optional<byte[]> existing = content.manifest(repo, tag);
        Digest basedOn = existing.map(Digest::sha256).orElse(null);
        if (existing.isPresent() && alreadySignedBy(existing.get(), payload, payloadDigest, key)) {
            return new SigningResult(request.keyName(), key.publicKey().fingerprint(), subject, List.of(), List.of(), basedOn, true);
        }
        List<BlobUpload> blobs = new ArrayList<>();
        List<ManifestUpload> manifests = new ArrayList<>();
        blobs.add(BlobUpload.of(MediaTypes.COSIGN_SIMPLE_SIGNING, payload));
        manifests.add(ManifestUpload.of(MediaTypes.OCI_MANIFEST, extend(repo, existing, layer, blobs), tag));

        if (request.writeBundle()) {
            byte[] statement = statements.cosignSign(request.dockerReference(), subject);
            Dsse.Envelope envelope = Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, key);
            byte[] bundle = bundles.keyedDsseBundle(envelope, key.publicKey());
            Digest bundleDigest = Digest.sha256(bundle);
            String subjectType = mediaTypeOf(subjectManifest);
            blobs.add(BlobUpload.of(BundleVerifier.BUNDLE_MEDIA_TYPE_V03, bundle));
            blobs.add(BlobUpload.of(MediaTypes.OCI_EMPTY, SidecarManifests.EMPTY_CONFIG));
            manifests.add(ManifestUpload.of(MediaTypes.OCI_MANIFEST, bundles.referrerManifest(bundleDigest, bundle.length,
                    subjectType, subject, subjectManifest.length, Statements.COSIGN_SIGN_V1, clock.instant()), null));
        }
        return new SigningResult(request.keyName(), key.publicKey().fingerprint(), subject, blobs, manifests, basedOn, false);
    }

    /**
     * Signs {@code statement} (an in-toto statement, e.g. from {@link Statements#slsaProvenance}) into a
     * DSSE envelope and appends it to {@code sha256-<hex>.att}, the way akua publishes provenance
     * (wire contract §3.5): layer media type {@code application/vnd.dsse.envelope.v1+json}, no annotations.
     */
    public SigningResult attest(RepositoryName repo, Digest subject, String keyName, byte[] statement) throws IOException {
        if (content.manifest(repo, subject).isEmpty()) {
            throw new SigningException(SigningException.Reason.SUBJECT_UNKNOWN, "manifest " + subject + " is not in repository " + repo);
        }
        SigningKey key = keys.signingKey(keyName);
        byte[] envelope = dsse.write(Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, key));
        Digest envelopeDigest = Digest.sha256(envelope);
        SidecarLayer layer = new SidecarLayer(MediaTypes.DSSE_ENVELOPE, envelopeDigest, envelope.length, Map.of());
        Tag tag = SidecarManifests.attestationTag(subject);
        Optional<byte[]> existing = content.manifest(repo, tag);
        List<BlobUpload> blobs = new ArrayList<>();
        blobs.add(BlobUpload.of(MediaTypes.DSSE_ENVELOPE, envelope));
        byte[] manifest = extend(repo, existing, layer, blobs);
        return new SigningResult(keyName, key.publicKey().fingerprint(), subject, blobs,
                List.of(ManifestUpload.of(MediaTypes.OCI_MANIFEST, manifest, tag)), existing.map(Digest::sha256).orElse(null), false);
    }

    /** A new sidecar, or the existing one with {@code layer} appended; adds the config blob to push. */
    private byte[] extend(RepositoryName repo, Optional<byte[]> existing, SidecarLayer layer, List<BlobUpload> blobs) throws IOException {
        if (existing.isEmpty()) {
            blobs.add(BlobUpload.of(MediaTypes.OCI_CONFIG, SidecarManifests.EMPTY_CONFIG));
            return sidecars.build(List.of(layer));
        }
        ManifestContent parsed = parseSidecar(existing.get());
        if (parsed.layers().size() >= limits.maxSignatureLayers()) {
            throw new SigningException(SigningException.Reason.TOO_MANY_SIGNATURES, "sidecar already holds "
                    + parsed.layers().size() + " entries; at most " + limits.maxSignatureLayers() + " are allowed");
        }
        byte[] config = null;
        Descriptor configDescriptor = parsed.config();
        if (configDescriptor != null && !configDescriptor.digest().equals(SidecarManifests.EMPTY_CONFIG_DIGEST)
                && configDescriptor.size() <= MAX_CONFIG_BYTES) {
            config = readConfig(repo, configDescriptor);
        }
        SidecarManifests.Appended appended;
        try {
            appended = sidecars.append(existing.get(), config, layer);
        } catch (WireFormatException e) {
            throw new SigningException(SigningException.Reason.SIDECAR_INVALID, e.getMessage());
        }
        if (appended.config() != null) {
            blobs.add(BlobUpload.of(configDescriptor.mediaType(), appended.config()));
        } else if (configDescriptor != null && configDescriptor.digest().equals(SidecarManifests.EMPTY_CONFIG_DIGEST)) {
            blobs.add(BlobUpload.of(configDescriptor.mediaType(), SidecarManifests.EMPTY_CONFIG));
        }
        return appended.manifest();
    }

    /** cosign's duplicate detection: a layer with the same payload whose signature this key made. */
    private boolean alreadySignedBy(byte[] sidecar, byte[] payload, Digest payloadDigest, SigningKey key) {
        ManifestContent parsed = parseSidecar(sidecar);
        for (Descriptor layer : parsed.layers()) {
            String sig = layer.annotations().get(SimpleSigning.SIGNATURE_ANNOTATION);
            if (sig != null && layer.digest().equals(payloadDigest)) {
                try {
                    if (key.publicKey().verify(payload, Base64.getDecoder().decode(sig.strip())).valid()) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    // not base64: not ours
                }
            }
        }
        return false;
    }

    private ManifestContent parseSidecar(byte[] raw) {
        try {
            return parser.parse(raw, null);
        } catch (OciException e) {
            throw new SigningException(SigningException.Reason.SIDECAR_INVALID, "existing sidecar is not a valid manifest: " + e.getMessage());
        }
    }

    private byte[] readConfig(RepositoryName repo, Descriptor config) throws IOException {
        Optional<InputStream> in = content.openBlob(repo, config.digest());
        if (in.isEmpty()) {
            return null;
        }
        try (InputStream stream = in.get()) {
            byte[] bytes = BoundedRead.readAtMost(stream, MAX_CONFIG_BYTES);
            return bytes != null && Digest.sha256(bytes).equals(config.digest()) ? bytes : null;
        }
    }

    private String mediaTypeOf(byte[] manifest) {
        try {
            return parser.parse(manifest, null).mediaType();
        } catch (OciException e) {
            return MediaTypes.OCI_MANIFEST;
        }
    }
}
