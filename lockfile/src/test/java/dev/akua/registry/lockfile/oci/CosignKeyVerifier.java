package dev.akua.registry.lockfile.oci;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.akua.registry.lockfile.signature.SignatureEvidence;
import dev.akua.registry.lockfile.signature.SignatureVerdict;
import dev.akua.registry.lockfile.signature.SignatureVerifier;

/**
 * A test implementation of the port with plain JCA: cosign key signatures as akua verifies them
 * (wire contract §3.4 {@code verify_keyed}): ECDSA P-256 / SHA-256 over the simple-signing payload,
 * DER signature in base64, payload's {@code docker-manifest-digest} equal to the manifest digest.
 * Key id = first 16 hex digits of sha256(SPKI DER). The registry module implements the real one.
 */
final class CosignKeyVerifier implements SignatureVerifier {
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public SignatureVerdict verify(SignatureEvidence evidence) {
        if (evidence.publicKeyPem().isEmpty()) {
            return new SignatureVerdict.Rejected("no [signing].cosign_public_key in the workspace");
        }
        try {
            String pem = evidence.publicKeyPem().get().replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            byte[] spki = Base64.getDecoder().decode(pem);
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
            String keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)).substring(0, 16);
            for (SignatureEvidence.Signature sig : evidence.signatures()) {
                if (sig.signatureBase64() == null) {
                    continue;
                }
                JsonNode payload = json.readTree(new String(sig.payload(), StandardCharsets.UTF_8));
                String signed = payload.path("critical").path("image").path("docker-manifest-digest").asText("");
                if (!signed.equals(evidence.manifestDigest().toString())) {
                    continue;
                }
                Signature ecdsa = Signature.getInstance("SHA256withECDSA");
                ecdsa.initVerify(key);
                ecdsa.update(sig.payload());
                if (ecdsa.verify(Base64.getDecoder().decode(sig.signatureBase64().trim()))) {
                    return new SignatureVerdict.Verified("cosign:key:" + keyId);
                }
            }
            return new SignatureVerdict.Rejected("no signature verifies with the workspace key");
        } catch (Exception e) {
            return new SignatureVerdict.Rejected("cannot verify: " + e.getMessage());
        }
    }
}
