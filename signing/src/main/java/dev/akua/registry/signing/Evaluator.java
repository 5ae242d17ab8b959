package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.signing.bundle.BundleCheck;
import dev.akua.registry.signing.bundle.BundleVerifier;
import dev.akua.registry.signing.bundle.IdentityRule;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.dsse.InTotoStatement;
import dev.akua.registry.signing.dsse.Statements;
import dev.akua.registry.signing.key.SignatureCheck;
import dev.akua.registry.signing.key.VerificationKey;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Checks the content of one sidecar or referrer manifest under one policy. Stateless apart from its
 * collaborators; results are cached by {@link SignatureVerification}.
 */
final class Evaluator {
    static final Set<String> BUNDLE_ARTIFACT_TYPES = Set.of(BundleVerifier.BUNDLE_MEDIA_TYPE_V03,
            "application/vnd.dev.sigstore.bundle+json;version=0.1",
            "application/vnd.dev.sigstore.bundle+json;version=0.2",
            "application/vnd.dev.sigstore.bundle+json;version=0.3");
    private static final int MAX_DSSE_SIGNATURES = 16;

    private final ContentReader reader;
    private final VerificationLimits limits;
    private final WireJson json;
    private final SimpleSigning simpleSigning;
    private final Dsse dsse;
    private final BundleVerifier bundles;
    private final ManifestParser manifests = new ManifestParser();

    Evaluator(ContentReader reader, VerificationLimits limits, WireJson json, BundleVerifier bundles) {
        this.reader = reader;
        this.limits = limits;
        this.json = json;
        this.simpleSigning = new SimpleSigning(json);
        this.dsse = new Dsse(json);
        this.bundles = bundles;
    }

    /** Everything in a {@code .sig} ({@code attestations == false}) or {@code .att} sidecar. */
    List<Finding> sidecar(RepositoryName repo, Digest subject, Tag tag, byte[] raw, Digest rawDigest,
                          TrustPolicy policy, boolean attestations) throws IOException {
        Finding.Kind kind = attestations ? Finding.Kind.ATTESTATION : Finding.Kind.SIGNATURE;
        Finding.Format format = attestations ? Finding.Format.DSSE : Finding.Format.SIMPLE_SIGNING;
        Whole whole = new Whole(kind, format, Finding.Source.TAG, tag.value(), rawDigest);
        if (raw.length > limits.maxManifestBytes()) {
            return List.of(whole.failed("sidecar manifest is " + raw.length + " bytes; more than " + limits.maxManifestBytes() + " are not read"));
        }
        ManifestContent content;
        try {
            content = manifests.parse(raw, null);
        } catch (OciException e) {
            return List.of(whole.failed("sidecar manifest is invalid: " + e.getMessage()));
        }
        if (content.kind() != ManifestKind.IMAGE) {
            return List.of(whole.failed("sidecar is an index, not an image manifest"));
        }
        List<Descriptor> layers = content.layers();
        if (layers.size() > limits.maxSignatureLayers()) {
            return List.of(whole.failed("sidecar has " + layers.size() + " layers; sidecars with more than "
                    + limits.maxSignatureLayers() + " are not evaluated"));
        }
        if (layers.isEmpty()) {
            return List.of(whole.failed("sidecar has no layers"));
        }
        List<Finding> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            out.add(attestations ? attestationLayer(repo, subject, whole, i, layer, policy)
                    : signatureLayer(repo, subject, whole, i, layer, policy));
        }
        return out;
    }

    private Finding signatureLayer(RepositoryName repo, Digest subject, Whole at, int index, Descriptor layer, TrustPolicy policy) throws IOException {
        if (!MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.mediaType())) {
            return at.layerFailed(index, "layer media type " + layer.mediaType() + " is not " + MediaTypes.COSIGN_SIMPLE_SIGNING, null);
        }
        String annotation = layer.annotations().get(SimpleSigning.SIGNATURE_ANNOTATION);
        if (annotation == null) {
            return at.layerFailed(index, "layer has no " + SimpleSigning.SIGNATURE_ANNOTATION + " annotation", null);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(annotation.strip());
        } catch (IllegalArgumentException e) {
            return at.layerFailed(index, "signature annotation is not valid base64", null);
        }
        ContentReader.Blob payload = reader.read(repo, layer.digest(), layer.size(), limits.maxPayloadBytes(), "payload");
        if (!payload.ok()) {
            return at.layerFailed(index, payload.problem(), null);
        }
        SimpleSigning.Claims claims;
        try {
            claims = simpleSigning.parse(payload.bytes());
        } catch (WireFormatException e) {
            return at.layerFailed(index, e.getMessage(), null);
        }
        if (policy == null) {
            return at.layerFailed(index, "no trust policy covers this repository", null);
        }
        if (policy.keys().isEmpty()) {
            String why = layer.annotations().containsKey(SimpleSigning.CERTIFICATE_ANNOTATION)
                    ? "certificate-based signatures in .sig sidecars (cosign v2 keyless) are not supported; the policy trusts no keys"
                    : "the policy trusts no public keys";
            return at.layerFailed(index, why, null);
        }
        TrustedKey signedBy = null;
        String reason = null;
        for (TrustedKey key : policy.keys()) {
            SignatureCheck check = key.key().verify(payload.bytes(), signature);
            if (check.valid()) {
                signedBy = key;
                break;
            }
            if (reason == null || !check.isMismatch()) {
                reason = check.reason();
            }
        }
        if (signedBy == null) {
            String why = policy.keys().size() == 1 ? reason
                    : "no trusted key verifies the signature (" + policy.keys().size() + " keys tried; " + reason + ")";
            return at.layerFailed(index, why, null);
        }
        Signer signer = Signer.key(signedBy);
        if (!claims.names(subject)) {
            return at.layerFailed(index, "payload names " + claims.manifestDigest() + ", not " + subject, signer);
        }
        if (!SimpleSigning.TYPE.equals(claims.type())) {
            return at.layerFailed(index, "payload type is '" + claims.type() + "', expected '" + SimpleSigning.TYPE + "'", signer);
        }
        return at.layerVerified(index, signer, null);
    }

    private Finding attestationLayer(RepositoryName repo, Digest subject, Whole at, int index, Descriptor layer, TrustPolicy policy) throws IOException {
        if (!MediaTypes.DSSE_ENVELOPE.equals(layer.mediaType())) {
            return at.layerFailed(index, "layer media type " + layer.mediaType() + " is not " + MediaTypes.DSSE_ENVELOPE, null);
        }
        ContentReader.Blob blob = reader.read(repo, layer.digest(), layer.size(), limits.maxEnvelopeBytes(), "DSSE envelope");
        if (!blob.ok()) {
            return at.layerFailed(index, blob.problem(), null);
        }
        Dsse.Envelope envelope;
        InTotoStatement statement;
        try {
            envelope = dsse.parse(blob.bytes(), MAX_DSSE_SIGNATURES);
            if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
                return at.layerFailed(index, "DSSE payloadType is " + envelope.payloadType() + ", expected " + Dsse.IN_TOTO_PAYLOAD_TYPE, null);
            }
            statement = InTotoStatement.parse(json, envelope.payload());
        } catch (WireFormatException e) {
            return at.layerFailed(index, e.getMessage(), null);
        }
        String predicateType = statement.predicateType();
        if (policy == null) {
            return at.withPredicate(predicateType).layerFailed(index, "no trust policy covers this repository", null);
        }
        Dsse.Verified verified = Dsse.verify(envelope, keysOf(policy));
        if (!verified.ok()) {
            return at.withPredicate(predicateType).layerFailed(index,
                    policy.keys().isEmpty() ? "the policy trusts no public keys" : verified.reason(), null);
        }
        Signer signer = Signer.key(policy.keyByFingerprint(verified.key().fingerprint()).orElseThrow());
        if (!statement.hasSubject(subject)) {
            return at.withPredicate(predicateType).layerFailed(index, "statement subjects do not include " + subject, signer);
        }
        return at.withPredicate(predicateType).layerVerified(index, signer, predicateType);
    }

    /** One Sigstore-bundle referrer of {@code subject}. */
    Finding referrer(RepositoryName repo, Digest subject, Descriptor descriptor, TrustPolicy policy,
                     List<IdentityRule> identities) throws IOException {
        String hintedPredicate = descriptor.annotations().get("dev.sigstore.bundle.predicateType");
        Finding.Kind hintedKind = kindOf(hintedPredicate, true);
        Whole whole = new Whole(hintedKind, Finding.Format.SIGSTORE_BUNDLE, Finding.Source.REFERRER, null, descriptor.digest());
        if (descriptor.size() > limits.maxManifestBytes()) {
            return whole.failed("referrer manifest is " + descriptor.size() + " bytes; more than " + limits.maxManifestBytes() + " are not read");
        }
        byte[] raw = reader.manifest(repo, descriptor.digest()).orElse(null);
        if (raw == null) {
            return whole.failed("referrer manifest " + descriptor.digest() + " is listed but missing");
        }
        if (raw.length > limits.maxManifestBytes()) {
            return whole.failed("referrer manifest is larger than " + limits.maxManifestBytes() + " bytes");
        }
        if (!Digest.of(descriptor.digest().algorithm(), raw).equals(descriptor.digest())) {
            return whole.failed("referrer manifest does not match its digest");
        }
        ManifestContent content;
        try {
            content = manifests.parse(raw, null);
        } catch (OciException e) {
            return whole.failed("referrer manifest is invalid: " + e.getMessage());
        }
        if (content.subject() == null || !content.subject().digest().equals(subject)) {
            return whole.failed("referrer's subject is " + (content.subject() == null ? "missing" : content.subject().digest())
                    + ", not " + subject);
        }
        Descriptor layer = content.layers().stream()
                .filter(l -> BUNDLE_ARTIFACT_TYPES.contains(l.mediaType()))
                .findFirst().orElse(null);
        if (layer == null) {
            return whole.failed("referrer has no Sigstore bundle layer");
        }
        int index = content.layers().indexOf(layer);
        ContentReader.Blob blob = reader.read(repo, layer.digest(), layer.size(), limits.maxBundleBytes(), "bundle");
        if (!blob.ok()) {
            return whole.layerFailed(index, blob.problem(), null);
        }
        if (policy == null) {
            return whole.layerFailed(index, "no trust policy covers this repository", null);
        }
        BundleCheck check = bundles.verify(blob.bytes(), subject, keysOf(policy), identities);
        Finding.Kind kind = check.dsse() ? kindOf(check.predicateType() != null ? check.predicateType() : hintedPredicate, true)
                : Finding.Kind.SIGNATURE;
        Signer signer = null;
        if (check.keyFingerprint() != null) {
            signer = policy.keyByFingerprint(check.keyFingerprint()).map(Signer::key)
                    .orElse(new Signer(null, check.keyFingerprint(), null, null));
        } else if (check.identity() != null || check.issuer() != null) {
            signer = Signer.keyless(check.identity(), check.issuer());
        }
        return new Finding(kind, Finding.Format.SIGSTORE_BUNDLE, Finding.Source.REFERRER, null, descriptor.digest(), index,
                check.verified(), signer, check.predicateType(), check.reason());
    }

    /** A bundle is a signature when it is a message signature or a DSSE statement of cosign's sign predicate. */
    static Finding.Kind kindOf(String predicateType, boolean dsse) {
        if (!dsse || predicateType == null || Statements.COSIGN_SIGN_V1.equals(predicateType)) {
            return Finding.Kind.SIGNATURE;
        }
        return Finding.Kind.ATTESTATION;
    }

    private static List<VerificationKey> keysOf(TrustPolicy policy) {
        return policy.keys().stream().map(TrustedKey::key).toList();
    }

    /** Where findings come from; builds them. */
    private record Whole(Finding.Kind kind, Finding.Format format, Finding.Source source, String tag, Digest manifest,
                         String predicateType) {
        Whole(Finding.Kind kind, Finding.Format format, Finding.Source source, String tag, Digest manifest) {
            this(kind, format, source, tag, manifest, null);
        }

        Whole withPredicate(String predicate) {
            return new Whole(kind, format, source, tag, manifest, predicate);
        }

        Finding failed(String reason) {
            return new Finding(kind, format, source, tag, manifest, -1, false, null, predicateType, reason);
        }

        Finding layerFailed(int layer, String reason, Signer signer) {
            return new Finding(kind, format, source, tag, manifest, layer, false, signer, predicateType, reason);
        }

        Finding layerVerified(int layer, Signer signer, String predicate) {
            return new Finding(kind, format, source, tag, manifest, layer, true, signer, predicate != null ? predicate : predicateType, null);
        }
    }
}
