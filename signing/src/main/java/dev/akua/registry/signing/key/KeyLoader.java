package dev.akua.registry.signing.key;

import dev.akua.registry.signing.wire.WireJson;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Reads and writes the key files cosign and akua use.
 *
 * <p>Private keys: {@code PRIVATE KEY} (PKCS#8), {@code ENCRYPTED PRIVATE KEY} (PKCS#8 PBES2 with
 * PBKDF2 or scrypt, what akua 0.8.5 reads with {@code AKUA_COSIGN_PASSPHRASE}, wire contract §3.1),
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY} / {@code ENCRYPTED COSIGN PRIVATE KEY} (cosign's own format,
 * see {@link CosignKeyFile}), and the SEC1 {@code EC PRIVATE KEY} and PKCS#1 {@code RSA PRIVATE KEY}
 * forms {@code cosign import-key-pair} accepts. Public keys: {@code PUBLIC KEY} (SPKI, what
 * {@code cosign.pub} holds) and {@code RSA PUBLIC KEY}. Key types: ECDSA P-256/P-384/P-521, Ed25519,
 * RSA. The public half of a private key is always derived from the private scalar, never taken
 * from optional fields of the file.
 *
 * <p>Bouncy Castle is used as a library and, for PBES2 decryption, as a provider instance handed to
 * the decryptor; it is never registered globally. Instances are cheap and stateless.
 */
public final class KeyLoader {
    /** Key files are small; anything larger is refused before parsing. */
    public static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    private static final Map<ASN1ObjectIdentifier, KeyKind> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, KeyKind.ECDSA_P256,
            SECObjectIdentifiers.secp384r1, KeyKind.ECDSA_P384,
            SECObjectIdentifiers.secp521r1, KeyKind.ECDSA_P521);

    private final WireJson json;

    public KeyLoader() {
        this.json = new WireJson();
    }

    /**
     * Loads a private key from PEM text. {@code passphrase} may be null for unencrypted keys; an
     * encrypted key without one is an error (as in akua: "an encrypted key without a passphrase is
     * an error").
     */
    public SigningKey loadPrivate(String pem, char[] passphrase) {
        PemObject block = firstBlock(pem);
        String type = block.getType();
        byte[] pkcs8;
        switch (type) {
            case "PRIVATE KEY" -> pkcs8 = block.getContent();
            case "ENCRYPTED PRIVATE KEY" -> pkcs8 = decryptPkcs8(block.getContent(), requirePassphrase(passphrase, type));
            case CosignKeyFile.PEM_TYPE, CosignKeyFile.LEGACY_PEM_TYPE -> {
                if (passphrase == null) {
                    throw new KeyFormatException(type + " needs a passphrase (cosign allows an empty one, but it must be given)");
                }
                byte[] pass = utf8(passphrase);
                try {
                    pkcs8 = CosignKeyFile.decrypt(json, block.getContent(), pass);
                } finally {
                    Arrays.fill(pass, (byte) 0);
                }
            }
            case "EC PRIVATE KEY" -> pkcs8 = sec1ToPkcs8(block);
            case "RSA PRIVATE KEY" -> pkcs8 = pkcs1ToPkcs8(block);
            default -> throw new KeyFormatException("unsupported private key PEM type: " + type);
        }
        return fromPkcs8(pkcs8);
    }

    /** Loads a public key from PEM text ({@code PUBLIC KEY} or {@code RSA PUBLIC KEY}). */
    public VerificationKey loadPublic(String pem) {
        PemObject block = firstBlock(pem);
        return switch (block.getType()) {
            case "PUBLIC KEY" -> fromSpki(block.getContent());
            case "RSA PUBLIC KEY" -> {
                try {
                    RSAPublicKey rsa = RSAPublicKey.getInstance(block.getContent());
                    yield fromSpki(new SubjectPublicKeyInfo(
                            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa).getEncoded());
                } catch (IOException | RuntimeException e) {
                    throw new KeyFormatException("RSA PUBLIC KEY is not a PKCS#1 public key");
                }
            }
            default -> throw new KeyFormatException("unsupported public key PEM type: " + block.getType()
                    + " (expected PUBLIC KEY)");
        };
    }

    /** A public key from its DER SubjectPublicKeyInfo. */
    public VerificationKey fromSpki(byte[] spkiDer) {
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(spkiDer);
        } catch (RuntimeException e) {
            throw new KeyFormatException("public key is not a DER SubjectPublicKeyInfo");
        }
        if (spki == null) {
            throw new KeyFormatException("public key is empty");
        }
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        try {
            if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                KeyKind kind = curveOf(spki.getAlgorithm().getParameters());
                PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spkiDer));
                return new VerificationKey(key, kind);
            }
            if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
                return new VerificationKey(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spkiDer)), KeyKind.ED25519);
            }
            if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spkiDer));
                int bits = ((java.security.interfaces.RSAPublicKey) key).getModulus().bitLength();
                if (bits < 2048) {
                    throw new KeyFormatException("RSA keys shorter than 2048 bits are refused (got " + bits + ")");
                }
                return new VerificationKey(key, KeyKind.RSA);
            }
        } catch (GeneralSecurityException e) {
            throw new KeyFormatException("public key could not be decoded: " + e.getMessage(), e);
        }
        throw new KeyFormatException("unsupported public key algorithm " + algorithm.getId()
                + " (supported: ECDSA P-256/P-384/P-521, Ed25519, RSA)");
    }

    /** A private key from PKCS#8 DER; the public key is derived from the private one. */
    public SigningKey fromPkcs8(byte[] der) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new KeyFormatException("private key is not PKCS#8");
        }
        if (info == null) {
            throw new KeyFormatException("private key is empty");
        }
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                ASN1Encodable params = info.getPrivateKeyAlgorithm().getParameters();
                KeyKind kind = curveOf(params);
                ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
                X9ECParameters x9 = ECNamedCurveTable.getByOID((ASN1ObjectIdentifier) params);
                ECPoint q = new FixedPointCombMultiplier().multiply(x9.getG(), ec.getKey()).normalize();
                byte[] spki = new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), q.getEncoded(false)).getEncoded();
                PrivateKey priv = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
                return new SigningKey(priv, new VerificationKey(pub, kind));
            }
            if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
                byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                byte[] pubBytes = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
                byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), pubBytes).getEncoded();
                PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
                PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                return new SigningKey(priv, new VerificationKey(pub, KeyKind.ED25519));
            }
            if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                PrivateKey priv = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                if (!(priv instanceof RSAPrivateCrtKey crt)) {
                    throw new KeyFormatException("RSA private key lacks its public exponent (not a CRT key)");
                }
                PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
                return new SigningKey(priv, fromSpki(pub.getEncoded()));
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("private key could not be decoded: " + e.getMessage(), e);
        }
        throw new KeyFormatException("unsupported private key algorithm " + algorithm.getId()
                + " (supported: ECDSA P-256/P-384/P-521, Ed25519, RSA)");
    }

    /** The key in cosign's encrypted format ({@code ENCRYPTED SIGSTORE PRIVATE KEY}), as cosign writes cosign.key. */
    public String writeCosignEncrypted(SigningKey key, char[] passphrase, SecureRandom random) {
        byte[] pass = utf8(passphrase);
        byte[] pkcs8 = key.pkcs8();
        try {
            return pem(CosignKeyFile.PEM_TYPE, CosignKeyFile.encrypt(json, pkcs8, pass, random));
        } finally {
            Arrays.fill(pass, (byte) 0);
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The key as an unencrypted {@code PRIVATE KEY} PEM block (PKCS#8). */
    public String writePkcs8(SigningKey key) {
        return pem("PRIVATE KEY", key.pkcs8());
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private byte[] decryptPkcs8(byte[] content, char[] passphrase) {
        try {
            PKCS8EncryptedPrivateKeyInfo encrypted = new PKCS8EncryptedPrivateKeyInfo(content);
            PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bouncyCastle()).build(passphrase));
            return info.getEncoded();
        } catch (Exception e) {
            // PKCSException (bad padding = wrong passphrase), OperatorCreationException (unknown scheme), IOException.
            throw new KeyFormatException("ENCRYPTED PRIVATE KEY could not be decrypted: wrong passphrase or unsupported encryption ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * A provider instance for PBES2 (PBKDF2 or scrypt with AES-CBC), which the JDK's providers do
     * not fully cover. Made per use (encrypted PKCS#8 keys are loaded rarely) and never registered.
     */
    private static Provider bouncyCastle() {
        return new BouncyCastleProvider();
    }

    private static byte[] sec1ToPkcs8(PemObject block) {
        refuseLegacyEncryption(block);
        try {
            ECPrivateKey ec = ECPrivateKey.getInstance(block.getContent());
            ASN1Encodable params = ec.getParametersObject();
            if (params == null) {
                throw new KeyFormatException("EC PRIVATE KEY has no curve parameters");
            }
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), ec).getEncoded();
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("EC PRIVATE KEY is not a SEC1 key");
        }
    }

    private static byte[] pkcs1ToPkcs8(PemObject block) {
        refuseLegacyEncryption(block);
        try {
            org.bouncycastle.asn1.pkcs.RSAPrivateKey rsa = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(block.getContent());
            return new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa).getEncoded();
        } catch (IOException | RuntimeException e) {
            throw new KeyFormatException("RSA PRIVATE KEY is not a PKCS#1 key");
        }
    }

    private static void refuseLegacyEncryption(PemObject block) {
        for (Object h : block.getHeaders()) {
            if (h instanceof PemHeader header && "Proc-Type".equalsIgnoreCase(header.getName())) {
                throw new KeyFormatException(block.getType() + " uses legacy PEM encryption; convert it with"
                        + " `openssl pkcs8 -topk8` or `cosign import-key-pair`");
            }
        }
    }

    private static KeyKind curveOf(ASN1Encodable params) {
        if (!(params instanceof ASN1ObjectIdentifier oid)) {
            throw new KeyFormatException("EC keys must name their curve (explicit curve parameters are refused)");
        }
        KeyKind kind = CURVES.get(oid);
        if (kind == null) {
            throw new KeyFormatException("unsupported EC curve " + oid.getId() + " (supported: P-256, P-384, P-521)");
        }
        return kind;
    }

    private static char[] requirePassphrase(char[] passphrase, String type) {
        if (passphrase == null) {
            throw new KeyFormatException(type + " needs a passphrase");
        }
        return passphrase;
    }

    private static PemObject firstBlock(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new KeyFormatException("key text is empty");
        }
        if (pem.length() > MAX_KEY_FILE_BYTES) {
            throw new KeyFormatException("key text is larger than " + MAX_KEY_FILE_BYTES + " bytes");
        }
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject block = reader.readPemObject();
            if (block == null) {
                throw new KeyFormatException("no PEM block found (expected -----BEGIN ...-----)");
            }
            return block;
        } catch (IOException | RuntimeException e) {
            if (e instanceof KeyFormatException kfe) {
                throw kfe;
            }
            throw new KeyFormatException("PEM block could not be read: " + e.getMessage());
        }
    }

    static byte[] utf8(char[] chars) {
        ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = Arrays.copyOfRange(buf.array(), buf.position(), buf.limit());
        Arrays.fill(buf.array(), (byte) 0);
        return out;
    }
}
