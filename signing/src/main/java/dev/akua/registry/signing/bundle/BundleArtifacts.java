package dev.akua.registry.signing.bundle;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.key.VerificationKey;
import dev.akua.registry.signing.wire.WireJson;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Objects;

/**
 * Writes Sigstore bundles and the OCI 1.1 referrer manifests that attach them to a subject, in the
 * layout of cosign's bundle specification (cosign {@code specs/BUNDLE_SPEC.md}): artifactType and
 * layer media type {@code application/vnd.dev.sigstore.bundle.v0.3+json}, the OCI empty config, the
 * subject descriptor, and the {@code dev.sigstore.bundle.*} annotations.
 */
public final class BundleArtifacts {
    public static final String CONTENT_ANNOTATION = "dev.sigstore.bundle.content";
    public static final String PREDICATE_TYPE_ANNOTATION = "dev.sigstore.bundle.predicateType";
    public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";
    public static final String TITLE_ANNOTATION = "org.opencontainers.image.title";

    private final WireJson json;

    public BundleArtifacts(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * A v0.3 bundle carrying a DSSE envelope signed with a key, no transparency-log entry (what
     * cosign writes with {@code --key} and {@code --tlog-upload=false}). The key hint is the standard
     * base64 of the SHA-256 of the public key's SubjectPublicKeyInfo.
     */
    public byte[] keyedDsseBundle(Dsse.Envelope envelope, VerificationKey key) {
        Base64.Encoder b64 = Base64.getEncoder();
        String hint = b64.encodeToString(VerificationKeyHint.of(key));
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeStringField("mediaType", BundleVerifier.BUNDLE_MEDIA_TYPE_V03);
            g.writeObjectFieldStart("verificationMaterial");
            g.writeObjectFieldStart("publicKey");
            g.writeStringField("hint", hint);
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("dsseEnvelope");
            g.writeStringField("payload", b64.encodeToString(envelope.payload()));
            g.writeStringField("payloadType", envelope.payloadType());
            g.writeArrayFieldStart("signatures");
            for (Dsse.Signature s : envelope.signatures()) {
                g.writeStartObject();
                g.writeStringField("sig", b64.encodeToString(s.sig()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /**
     * The referrer manifest attaching a bundle blob to {@code subject}.
     *
     * @param bundleDigest      digest of the bundle blob
     * @param bundleSize        its size
     * @param subjectMediaType  media type of the subject manifest
     * @param subject           digest of the subject manifest
     * @param subjectSize       size of the subject manifest
     * @param predicateType     in-toto predicate type of a DSSE bundle, or null for a message signature
     * @param created           creation time for {@code org.opencontainers.image.created}
     */
    public byte[] referrerManifest(Digest bundleDigest, long bundleSize, String subjectMediaType, Digest subject,
                                   long subjectSize, String predicateType, Instant created) {
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.OCI_MANIFEST);
            g.writeStringField("artifactType", BundleVerifier.BUNDLE_MEDIA_TYPE_V03);
            g.writeObjectFieldStart("config");
            g.writeStringField("mediaType", MediaTypes.OCI_EMPTY);
            g.writeNumberField("size", SidecarManifests.EMPTY_CONFIG.length);
            g.writeStringField("digest", SidecarManifests.EMPTY_CONFIG_DIGEST.toString());
            g.writeEndObject();
            g.writeArrayFieldStart("layers");
            g.writeStartObject();
            g.writeStringField("mediaType", BundleVerifier.BUNDLE_MEDIA_TYPE_V03);
            g.writeNumberField("size", bundleSize);
            g.writeStringField("digest", bundleDigest.toString());
            g.writeObjectFieldStart("annotations");
            g.writeStringField(TITLE_ANNOTATION, bundleDigest.tagForm() + ".sigstore.json");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("subject");
            g.writeStringField("mediaType", subjectMediaType);
            g.writeNumberField("size", subjectSize);
            g.writeStringField("digest", subject.toString());
            g.writeEndObject();
            g.writeObjectFieldStart("annotations");
            g.writeStringField(CONTENT_ANNOTATION, predicateType != null ? "dsse-envelope" : "message-signature");
            if (predicateType != null) {
                g.writeStringField(PREDICATE_TYPE_ANNOTATION, predicateType);
            }
            g.writeStringField(CREATED_ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(created));
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The key hint cosign puts in a key-based bundle. */
    static final class VerificationKeyHint {
        private VerificationKeyHint() {
        }

        static byte[] of(VerificationKey key) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(key.spki());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
