package dev.akua.registry.signing.key;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A public key signatures are checked against, with its fingerprint.
 *
 * <p>The fingerprint is {@code sha256:<hex>} of the DER SubjectPublicKeyInfo, the same value Rekor
 * uses as a log id and cosign bundles use as a key hint; it is what reports name as the signer.
 * Signature encodings accepted (akua 0.8.5 {@code cosign.rs:306-343}, cosign): ECDSA as DER, or as
 * raw {@code r||s} when the bytes are not DER; Ed25519 as the 64 raw bytes; RSA PKCS#1 v1.5 over
 * SHA-256.
 */
public final class VerificationKey {
    private final PublicKey key;
    private final KeyKind kind;
    private final byte[] spki;
    private final String fingerprint;

    VerificationKey(PublicKey key, KeyKind kind) {
        this.key = Objects.requireNonNull(key, "key");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.spki = key.getEncoded();
        this.fingerprint = "sha256:" + HexFormat.of().formatHex(sha256(spki));
    }

    public KeyKind kind() {
        return kind;
    }

    /** {@code sha256:<hex>} of the DER SubjectPublicKeyInfo. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The DER SubjectPublicKeyInfo. */
    public byte[] spki() {
        return spki.clone();
    }

    public PublicKey publicKey() {
        return key;
    }

    /** The key as a {@code PUBLIC KEY} PEM block (what {@code cosign.pub} holds). */
    public String pem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki);
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** Checks {@code signature} over {@code data}; never throws for malformed signature bytes. */
    public SignatureCheck verify(byte[] data, byte[] signature) {
        if (signature == null || signature.length == 0) {
            return SignatureCheck.invalid("signature is empty");
        }
        try {
            String algorithm = kind.jcaSignatureAlgorithm();
            if (kind.isEcdsa()) {
                if (!SignatureEncoding.isStrictDerEcdsa(signature)) {
                    if (signature.length != 2 * kind.coordinateBytes()) {
                        return SignatureCheck.invalid("signature is neither a DER ECDSA signature nor a raw r||s pair for " + kind);
                    }
                    algorithm = "SHA256withECDSAinP1363Format";
                }
            } else if (kind == KeyKind.ED25519 && signature.length != 64) {
                return SignatureCheck.invalid("Ed25519 signature must be 64 bytes, got " + signature.length);
            } else if (kind == KeyKind.RSA && signature.length != rsaModulusBytes()) {
                return SignatureCheck.invalid("RSA signature must be " + rsaModulusBytes() + " bytes, got " + signature.length);
            }
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature) ? SignatureCheck.VALID
                    : SignatureCheck.invalid(SignatureCheck.MISMATCH + " with key " + fingerprint);
        } catch (GeneralSecurityException | RuntimeException e) {
            // SignatureException for DER the provider refuses (trailing bytes, bad lengths, r or s out of range).
            return SignatureCheck.invalid("signature could not be checked: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private int rsaModulusBytes() {
        return (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8;
    }

    /** ECDSA key size in bits, for messages. */
    int ecBits() {
        return ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerificationKey other && fingerprint.equals(other.fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return kind + " " + fingerprint;
    }
}
