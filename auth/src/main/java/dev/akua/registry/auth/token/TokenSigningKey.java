package dev.akua.registry.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.akua.registry.auth.principal.AtomicFile;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/**
 * The private key that signs this registry's JWTs, and its public half for checking them.
 * EC P-256 (ES256), P-384 (ES384) or RSA of at least 2048 bits (RS256), read from a PEM file
 * (what {@code openssl genpkey} or {@code openssl ecparam -genkey} write). The key id
 * ({@code kid}) is the JWK thumbprint (RFC 7638), so it changes exactly when the key does.
 *
 * <p>Every replica that serves the same clients must use the same key: a token issued by one is
 * presented to another.
 */
public final class TokenSigningKey {
    private final JWK privateJwk;
    private final JWSAlgorithm algorithm;

    private TokenSigningKey(JWK parsed) {
        Objects.requireNonNull(parsed, "key");
        if (!parsed.isPrivate()) {
            throw new IllegalArgumentException("the token signing key must be a private key");
        }
        JWSAlgorithm alg;
        if (parsed instanceof ECKey ec) {
            if (Curve.P_256.equals(ec.getCurve())) {
                alg = JWSAlgorithm.ES256;
            } else if (Curve.P_384.equals(ec.getCurve())) {
                alg = JWSAlgorithm.ES384;
            } else {
                throw new IllegalArgumentException("unsupported EC curve " + ec.getCurve() + ": use P-256 or P-384");
            }
        } else if (parsed instanceof RSAKey rsa) {
            if (rsa.size() < 2048) {
                throw new IllegalArgumentException("RSA signing key of " + rsa.size() + " bits: at least 2048 required");
            }
            alg = JWSAlgorithm.RS256;
        } else {
            throw new IllegalArgumentException("unsupported key type " + parsed.getKeyType() + ": use EC P-256/P-384 or RSA");
        }
        try {
            String kid = parsed.computeThumbprint().toString();
            this.privateJwk = parsed instanceof ECKey ec
                    ? new ECKey.Builder(ec).keyID(kid).algorithm(alg).build()
                    : new RSAKey.Builder((RSAKey) parsed).keyID(kid).algorithm(alg).build();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the key id: " + e.getMessage(), e);
        }
        this.algorithm = alg;
    }

    /**
     * Parses a PEM private key: PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}, with or
     * without an {@code EC PARAMETERS} block) or PKCS#1 ({@code RSA PRIVATE KEY}). The public half is
     * always computed from the private key, never taken from the file, so a file whose halves do
     * not belong together cannot produce tokens that fail to verify. Encrypted keys are refused.
     */
    public static TokenSigningKey fromPem(String pem) {
        PrivateKey privateKey = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException("encrypted private keys are not supported; decrypt it (openssl pkey -in key.pem)");
                }
                PrivateKeyInfo info = o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
                        : o instanceof PrivateKeyInfo p ? p : null;
                if (info != null) {
                    if (privateKey != null) {
                        throw new IllegalArgumentException("more than one private key in the file");
                    }
                    privateKey = converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a usable PEM private key: " + e.getMessage(), e);
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("no PEM private key found");
        }
        try {
            return new TokenSigningKey(toJwk(privateKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable private key: " + e.getMessage(), e);
        }
    }

    private static JWK toJwk(PrivateKey privateKey) throws GeneralSecurityException {
        if (privateKey instanceof ECPrivateKey ec) {
            org.bouncycastle.jce.spec.ECParameterSpec params = EC5Util.convertSpec(ec.getParams());
            org.bouncycastle.math.ec.ECPoint q = params.getG().multiply(ec.getS()).normalize();
            ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    ec.getParams()));
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("unsupported EC curve: use P-256 or P-384");
            }
            return new ECKey.Builder(curve, pub).privateKey(ec).build();
        }
        if (privateKey instanceof RSAPrivateCrtKey rsa) {
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            return new RSAKey.Builder(pub).privateKey(rsa).build();
        }
        throw new IllegalArgumentException("unsupported key type " + privateKey.getAlgorithm() + ": use EC P-256/P-384 or RSA");
    }

    /** Reads a configured key file; it must exist. */
    public static TokenSigningKey load(Path pemFile) {
        try {
            return fromPem(Files.readString(pemFile, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token signing key " + pemFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token signing key " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the key file, or creates it with a new P-256 key (owner-only permissions) if it does
     * not exist. If two processes start at once, one key wins and both use it.
     */
    public static TokenSigningKey loadOrGenerate(Path pemFile, SecureRandom random) {
        if (Files.exists(pemFile)) {
            return load(pemFile);
        }
        String pem = toPem(generateP256(random));
        try {
            Files.createDirectories(pemFile.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(pemFile.toAbsolutePath().getParent(), ".signing-key", ".tmp");
            try {
                AtomicFile.ownerOnly(tmp);
                Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                // link() fails if the name exists: the first process to get here wins, atomically.
                Files.createLink(pemFile, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first; use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the token signing key " + pemFile + ": " + e.getMessage(), e);
        }
        return load(pemFile);
    }

    /** A fresh P-256 key kept only in memory. */
    public static TokenSigningKey generate(SecureRandom random) {
        return fromPem(toPem(generateP256(random)));
    }

    private static KeyPair generateP256(SecureRandom random) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
        }
    }

    /** PKCS#8 ({@code PRIVATE KEY}), what {@code openssl genpkey} writes. */
    private static String toPem(KeyPair pair) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    public String keyId() {
        return privateJwk.getKeyID();
    }

    /** The public half as a JWK (what a JWKS endpoint would publish). */
    public JWK publicJwk() {
        return privateJwk.toPublicJWK();
    }

    JWSSigner signer() {
        try {
            return privateJwk instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) privateJwk);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
