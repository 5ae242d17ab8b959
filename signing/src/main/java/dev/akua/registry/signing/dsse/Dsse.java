package dev.akua.registry.signing.dsse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.signing.key.SignatureCheck;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.key.VerificationKey;
import dev.akua.registry.signing.wire.WireFormatException;
import dev.akua.registry.signing.wire.WireJson;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * DSSE envelopes (the {@code .att} layer and the content of Sigstore DSSE bundles).
 *
 * <p>The signature covers the pre-authentication encoding
 * {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload}, lengths as decimal ASCII byte
 * counts (DSSE protocol; akua 0.8.5 {@code cosign.rs:282-293}, wire contract §3.5). An envelope
 * verifies when any of its signatures verifies with any trusted key (akua {@code cosign.rs:243-278}).
 */
public final class Dsse {
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private final WireJson json;

    public Dsse(WireJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** The pre-authentication encoding of {@code payload} typed {@code payloadType}. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + type.length + payload.length);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Signs {@code payload} into a one-signature envelope. */
    public static Envelope sign(String payloadType, byte[] payload, SigningKey key) {
        return new Envelope(payloadType, payload, List.of(new Signature(null, key.sign(pae(payloadType, payload)))));
    }

    /**
     * The envelope as akua writes it: compact, {@code keyid} left out when absent
     * ({@code {"payloadType":…,"payload":…,"signatures":[{"sig":…}]}}).
     */
    public byte[] write(Envelope envelope) {
        Base64.Encoder b64 = Base64.getEncoder();
        return json.writePlain(g -> {
            g.writeStartObject();
            g.writeStringField("payloadType", envelope.payloadType());
            g.writeStringField("payload", b64.encodeToString(envelope.payload()));
            g.writeArrayFieldStart("signatures");
            for (Signature s : envelope.signatures()) {
                g.writeStartObject();
                if (s.keyId() != null) {
                    g.writeStringField("keyid", s.keyId());
                }
                g.writeStringField("sig", b64.encodeToString(s.sig()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Reads an envelope. Signatures whose {@code sig} is not base64 are kept with null bytes so the
     * report can say so; the envelope fails only when its own fields are malformed.
     */
    public Envelope parse(byte[] bytes, int maxSignatures) {
        JsonNode root = json.parseObject(bytes, "DSSE envelope");
        String payloadType = root.path("payloadType").isTextual() ? root.get("payloadType").asText() : null;
        if (payloadType == null) {
            throw new WireFormatException("DSSE envelope has no payloadType");
        }
        JsonNode payloadNode = root.get("payload");
        if (payloadNode == null || !payloadNode.isTextual()) {
            throw new WireFormatException("DSSE envelope has no payload");
        }
        byte[] payload = decodeBase64(payloadNode.asText());
        if (payload == null) {
            throw new WireFormatException("DSSE payload is not base64");
        }
        JsonNode sigs = root.get("signatures");
        if (sigs == null || !sigs.isArray() || sigs.isEmpty()) {
            throw new WireFormatException("DSSE envelope has no signatures");
        }
        if (sigs.size() > maxSignatures) {
            throw new WireFormatException("DSSE envelope has " + sigs.size() + " signatures; at most " + maxSignatures + " are evaluated");
        }
        List<Signature> out = new ArrayList<>(sigs.size());
        for (JsonNode s : sigs) {
            String keyId = s.path("keyid").isTextual() ? s.get("keyid").asText() : null;
            byte[] sig = s.path("sig").isTextual() ? decodeBase64(s.get("sig").asText()) : null;
            out.add(new Signature(keyId, sig));
        }
        return new Envelope(payloadType, payload, out);
    }

    /**
     * Checks the envelope against {@code keys}: the first key that verifies any signature, or the
     * most telling reason none does.
     */
    public static Verified verify(Envelope envelope, List<VerificationKey> keys) {
        if (keys.isEmpty()) {
            return new Verified(null, "no trusted keys to check the envelope against");
        }
        byte[] pae = pae(envelope.payloadType(), envelope.payload());
        String reason = null;
        for (Signature s : envelope.signatures()) {
            if (s.sig() == null) {
                reason = reason == null ? "DSSE signature is not valid base64" : reason;
                continue;
            }
            for (VerificationKey key : keys) {
                SignatureCheck check = key.verify(pae, s.sig());
                if (check.valid()) {
                    return new Verified(key, null);
                }
                if (reason == null || check.isMismatch()) {
                    reason = check.reason();
                }
            }
        }
        return new Verified(null, keys.size() == 1 ? reason : "no trusted key verifies any envelope signature (" + reason + ")");
    }

    /** Standard base64 first, then the URL-safe alphabet (the DSSE protocol allows either). */
    static byte[] decodeBase64(String text) {
        String trimmed = text.strip();
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(trimmed);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    /** A parsed or built envelope. */
    public record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
        public Envelope {
            Objects.requireNonNull(payloadType, "payloadType");
            Objects.requireNonNull(payload, "payload");
            signatures = List.copyOf(signatures);
        }
    }

    /** One envelope signature; {@code sig} is null when it was not valid base64. */
    public record Signature(String keyId, byte[] sig) {
    }

    /** The key that verified the envelope, or the reason none did. */
    public record Verified(VerificationKey key, String reason) {
        public boolean ok() {
            return key != null;
        }
    }
}
