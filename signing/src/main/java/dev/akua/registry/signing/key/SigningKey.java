package dev.akua.registry.signing.key;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;

/**
 * A private key that signs the way cosign does: ECDSA over SHA-256 with a DER signature (what
 * {@code cosign sign --key} and akua's {@code p256::ecdsa::SigningKey} produce), Ed25519 over the
 * message, RSA PKCS#1 v1.5 over SHA-256.
 */
public final class SigningKey {
    private final PrivateKey privateKey;
    private final VerificationKey publicKey;

    SigningKey(PrivateKey privateKey, VerificationKey publicKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    /** A fresh key pair; cosign's {@code generate-key-pair} makes ECDSA P-256. */
    public static SigningKey generate(KeyKind kind, SecureRandom random) {
        try {
            KeyPairGenerator generator;
            switch (kind) {
                case ED25519 -> generator = KeyPairGenerator.getInstance("Ed25519");
                case RSA -> {
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), random);
                }
                default -> {
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec(kind.curve()), random);
                }
            }
            var pair = generator.generateKeyPair();
            return new SigningKey(pair.getPrivate(), new VerificationKey(pair.getPublic(), kind));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + kind + " key", e);
        }
    }

    public KeyKind kind() {
        return publicKey.kind();
    }

    public VerificationKey publicKey() {
        return publicKey;
    }

    /** The PKCS#8 DER encoding (what cosign encrypts inside its key file). */
    public byte[] pkcs8() {
        return privateKey.getEncoded();
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    /** Signs {@code data}: DER for ECDSA, 64 bytes for Ed25519, modulus-sized for RSA. */
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance(kind().jcaSignatureAlgorithm());
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with a " + kind() + " key failed", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey + "]";
    }
}
