package dev.akua.registry.signing;

import dev.akua.registry.signing.key.KeyLoader;
import dev.akua.registry.signing.key.VerificationKey;

import java.util.Objects;

/**
 * A public key a policy trusts, under a name used in reports.
 *
 * @param name a label for reports and configuration (e.g. {@code release})
 * @param key  the key
 */
public record TrustedKey(String name, VerificationKey key) {
    public TrustedKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }

    /** From a {@code PUBLIC KEY} PEM block (a {@code cosign.pub}); throws KeyFormatException when unreadable. */
    public static TrustedKey fromPem(String name, String pem) {
        return new TrustedKey(name, new KeyLoader().loadPublic(pem));
    }

    /** {@code sha256:<hex>} of the key's SubjectPublicKeyInfo. */
    public String fingerprint() {
        return key.fingerprint();
    }
}
