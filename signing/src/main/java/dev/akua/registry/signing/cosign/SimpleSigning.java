package dev.akua.registry.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.util.Objects;

/**
 * cosign's "simple signing" payload (the document a {@code .sig} layer holds and the signature
 * covers). Written exactly as akua 0.8.5 and cosign write it when there are no optional claims
 * (wire contract §3.2):
 * <pre>{"critical":{"identity":{"docker-reference":"&lt;ref&gt;"},"image":{"docker-manifest-digest":"sha256:&lt;hex&gt;"},"type":"cosign container image signature"},"optional":null}</pre>
 */
public final class SimpleSigning {
    public static final String TYPE = "cosign container image signature";
    /** Layer annotation holding the base64 signature over the payload bytes. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** Layer annotation of cosign's certificate-based (keyless, v2-style) signatures. */
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";

    private final WireJson json;

    public SimpleSigning(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * The payload for {@code digest}. {@code dockerReference} is the repository as clients name it,
     * without tag or digest (akua: the {@code --ref} value without {@code oci://}).
     */
    public byte[] payload(String dockerReference, Digest digest) {
        Objects.requireNonNull(dockerReference, "dockerReference");
        Objects.requireNonNull(digest, "digest");
        return json.writeGoStyle(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("critical");
            g.writeObjectFieldStart("identity");
            g.writeStringField("docker-reference", dockerReference);
            g.writeEndObject();
            g.writeObjectFieldStart("image");
            g.writeStringField("docker-manifest-digest", digest.toString());
            g.writeEndObject();
            g.writeStringField("type", TYPE);
            g.writeEndObject();
            g.writeNullField("optional");
            g.writeEndObject();
        });
    }

    /**
     * Reads the claims of a payload. Throws {@link WireFormatException} when the payload is not a
     * simple-signing document; the claims are checked by the caller against the subject.
     */
    public Claims parse(byte[] payload) {
        JsonNode root = json.parseObject(payload, "simple signing payload");
        JsonNode critical = root.get("critical");
        if (critical == null || !critical.isObject()) {
            throw new WireFormatException("simple signing payload has no critical section");
        }
        String digest = text(critical.path("image"), "docker-manifest-digest");
        if (digest == null) {
            throw new WireFormatException("simple signing payload has no critical.image.docker-manifest-digest");
        }
        String type = text(critical, "type");
        if (type == null) {
            throw new WireFormatException("simple signing payload has no critical.type");
        }
        return new Claims(text(critical.path("identity"), "docker-reference"), digest, type);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /**
     * What a payload claims.
     *
     * @param dockerReference {@code critical.identity.docker-reference}, or null (reported, not enforced: neither akua nor cosign's default verification checks it)
     * @param manifestDigest  {@code critical.image.docker-manifest-digest} as written
     * @param type            {@code critical.type}
     */
    public record Claims(String dockerReference, String manifestDigest, String type) {
        /** True when the payload names {@code subject}; the comparison is on the exact string. */
        public boolean names(Digest subject) {
            return subject.toString().equals(manifestDigest);
        }
    }
}
