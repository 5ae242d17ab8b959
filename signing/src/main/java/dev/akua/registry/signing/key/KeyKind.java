package dev.akua.registry.signing.key;

/**
 * The key types cosign accepts for key-based signing ({@code cosign import-key-pair},
 * {@code generate-key-pair}) and how a signature made with each is encoded on the wire.
 *
 * <p>cosign signs and verifies every key type over SHA-256 in the key-based flow
 * ({@code signature.LoadSignerVerifier(key, crypto.SHA256)}), whatever the curve; Ed25519 signs the
 * message itself. RSA is PKCS#1 v1.5, the default of sigstore's RSA verifier.
 */
public enum KeyKind {
    ECDSA_P256("ECDSA P-256", "secp256r1", 32),
    ECDSA_P384("ECDSA P-384", "secp384r1", 48),
    ECDSA_P521("ECDSA P-521", "secp521r1", 66),
    ED25519("Ed25519", null, 0),
    RSA("RSA", null, 0);

    private final String displayName;
    private final String curve;
    private final int coordinateBytes;

    KeyKind(String displayName, String curve, int coordinateBytes) {
        this.displayName = displayName;
        this.curve = curve;
        this.coordinateBytes = coordinateBytes;
    }

    public boolean isEcdsa() {
        return curve != null;
    }

    /** Name of the named curve (SEC 2), ECDSA only. */
    String curve() {
        return curve;
    }

    /** Size of r and s in a raw (IEEE P1363) ECDSA signature. */
    int coordinateBytes() {
        return coordinateBytes;
    }

    /** The JCA algorithm verifying a DER (or, for EdDSA and RSA, the only) signature encoding. */
    String jcaSignatureAlgorithm() {
        return switch (this) {
            case ED25519 -> "Ed25519";
            case RSA -> "SHA256withRSA";
            default -> "SHA256withECDSA";
        };
    }

    @Override
    public String toString() {
        return displayName;
    }
}
