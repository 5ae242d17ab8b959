package dev.akua.registry.signing;

/**
 * Who made a signature: a key (fingerprint, and its policy name when the policy trusts it) or a
 * keyless identity (certificate subject and OIDC issuer).
 *
 * @param keyName        the trusted key's name in the policy, or null
 * @param keyFingerprint {@code sha256:<hex>} of the key's SubjectPublicKeyInfo, or null
 * @param identity       certificate subject (email or URI), or null
 * @param issuer         OIDC issuer recorded in the certificate, or null
 */
public record Signer(String keyName, String keyFingerprint, String identity, String issuer) {
    static Signer key(TrustedKey key) {
        return new Signer(key.name(), key.fingerprint(), null, null);
    }

    static Signer keyless(String identity, String issuer) {
        return new Signer(null, null, identity, issuer);
    }

    @Override
    public String toString() {
        if (keyFingerprint != null) {
            return (keyName != null ? "key " + keyName + " (" + keyFingerprint + ")" : "key " + keyFingerprint);
        }
        return identity + " (issuer " + issuer + ")";
    }
}
