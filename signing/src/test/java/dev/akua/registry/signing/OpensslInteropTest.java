package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.key.KeyFormatException;
import dev.akua.registry.signing.key.KeyLoader;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.key.VerificationKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signatures made outside Java (the openssl CLI over the exact payload bytes) verify here, and
 * signatures made here verify with openssl. Needs the Debian package {@code openssl}.
 */
class OpensslInteropTest {
    private final KeyLoader loader = new KeyLoader();

    @TempDir
    Path dir;

    /** Generates a key with openssl: key.pem (PKCS#8) and pub.pem (SPKI). */
    private void opensslKey(String kind) {
        switch (kind) {
            case "p256" -> Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
            case "p384" -> Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "key.pem");
            case "ed25519" -> Openssl.ok(dir, "genpkey", "-algorithm", "ed25519", "-out", "key.pem");
            case "rsa" -> Openssl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
            default -> throw new IllegalArgumentException(kind);
        }
        Openssl.ok(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    }

    private void opensslSign(String kind) {
        if (kind.equals("ed25519")) {
            Openssl.ok(dir, "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-in", "payload.json", "-out", "sig.bin");
        } else {
            Openssl.ok(dir, "dgst", "-sha256", "-sign", "key.pem", "-out", "sig.bin", "payload.json");
        }
    }

    private Openssl.Result opensslVerify(String kind) {
        if (kind.equals("ed25519")) {
            return Openssl.run(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "payload.json", "-sigfile", "sig.bin");
        }
        return Openssl.run(dir, "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "payload.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"p256", "p384", "ed25519", "rsa"})
    void opensslSignature_overExactPayload_verifiesInSidecar(String kind) throws Exception {
        opensslKey(kind);
        TestRegistry registry = new TestRegistry();
        Digest subject = registry.pushArtifact("app", "1.0");
        byte[] payload = registry.payloadFor(subject);
        Files.write(dir.resolve("payload.json"), payload);
        opensslSign(kind);
        byte[] signature = Files.readAllBytes(dir.resolve("sig.bin"));
        registry.pushSignatures(subject, List.of(registry.layer(payload, Base64.getEncoder().encodeToString(signature))));
        TrustedKey trusted = TrustedKey.fromPem("ci", Files.readString(dir.resolve("pub.pem")));
        TrustPolicy policy = new TrustPolicy("ci", List.of(RepositoryPattern.parse("**")), List.of(trusted), List.of(), Enforcement.PULL, List.of());

        VerificationReport report = Policies.verifier(registry.content, policy).verify(TestRegistry.REPO, subject);

        assertTrue(report.policyMet(), report.signatures().toString());
        assertEquals(trusted.fingerprint(), report.signatures().get(0).signer().keyFingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p256", "p384", "ed25519", "rsa"})
    void signatureMadeHere_withOpensslKey_verifiesWithOpenssl(String kind) throws Exception {
        opensslKey(kind);
        SigningKey key = loader.loadPrivate(Files.readString(dir.resolve("key.pem")), null);
        byte[] payload = new TestRegistry().payloadFor(Digest.parse(AkuaVector.MANIFEST_DIGEST));
        Files.write(dir.resolve("payload.json"), payload);
        Files.write(dir.resolve("sig.bin"), key.sign(payload));

        Openssl.Result result = opensslVerify(kind);

        assertEquals(0, result.exit(), result.output());
        assertTrue(result.output().contains("Verified") || result.output().contains("verified"), result.output());
    }

    @Test
    void signatureMadeHere_withFlippedPayloadByte_failsOpensslVerify() throws Exception {
        opensslKey("p256");
        SigningKey key = loader.loadPrivate(Files.readString(dir.resolve("key.pem")), null);
        byte[] payload = new TestRegistry().payloadFor(Digest.parse(AkuaVector.MANIFEST_DIGEST));
        Files.write(dir.resolve("sig.bin"), key.sign(payload));
        payload[10] ^= 0x01;
        Files.write(dir.resolve("payload.json"), payload);

        Openssl.Result result = opensslVerify("p256");

        assertEquals(1, result.exit(), result.output());
    }

    @Test
    void publicKey_derivedFromOpensslPrivateKey_equalsOpensslPublicKey() throws Exception {
        opensslKey("p256");
        SigningKey key = loader.loadPrivate(Files.readString(dir.resolve("key.pem")), null);
        VerificationKey pub = loader.loadPublic(Files.readString(dir.resolve("pub.pem")));

        assertEquals(pub.fingerprint(), key.publicKey().fingerprint());
        assertEquals(Files.readString(dir.resolve("pub.pem")), key.publicKey().pem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes-256-cbc", "aes-128-cbc"})
    void encryptedPkcs8_fromOpensslPbes2_loadsWithPassphrase(String cipher) throws Exception {
        opensslKey("p256");
        Openssl.ok(dir, "pkcs8", "-topk8", "-in", "key.pem", "-out", "enc.pem", "-v2", cipher, "-v2prf", "hmacWithSHA256",
                "-passout", "pass:s3cret passphrase");
        String encrypted = Files.readString(dir.resolve("enc.pem"));
        assertTrue(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

        SigningKey key = loader.loadPrivate(encrypted, "s3cret passphrase".toCharArray());

        assertEquals(loader.loadPublic(Files.readString(dir.resolve("pub.pem"))).fingerprint(), key.publicKey().fingerprint());
    }

    @Test
    void encryptedPkcs8_fromOpensslScrypt_loadsWithPassphrase() throws Exception {
        opensslKey("ed25519");
        Openssl.ok(dir, "pkcs8", "-topk8", "-in", "key.pem", "-out", "enc.pem", "-scrypt", "-passout", "pass:pw");

        SigningKey key = loader.loadPrivate(Files.readString(dir.resolve("enc.pem")), "pw".toCharArray());

        assertEquals(loader.loadPublic(Files.readString(dir.resolve("pub.pem"))).fingerprint(), key.publicKey().fingerprint());
    }

    @Test
    void encryptedPkcs8_withWrongPassphrase_isRefusedWithReason() throws Exception {
        opensslKey("p256");
        Openssl.ok(dir, "pkcs8", "-topk8", "-in", "key.pem", "-out", "enc.pem", "-v2", "aes-256-cbc", "-passout", "pass:right");
        String encrypted = Files.readString(dir.resolve("enc.pem"));

        KeyFormatException wrong = assertThrows(KeyFormatException.class, () -> loader.loadPrivate(encrypted, "wrong".toCharArray()));
        KeyFormatException missing = assertThrows(KeyFormatException.class, () -> loader.loadPrivate(encrypted, null));

        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        assertTrue(missing.getMessage().contains("needs a passphrase"), missing.getMessage());
    }

    @Test
    void sec1AndPkcs1Keys_fromOpenssl_load() throws Exception {
        opensslKey("p256");
        Openssl.ok(dir, "ec", "-in", "key.pem", "-out", "sec1.pem");
        String sec1 = Files.readString(dir.resolve("sec1.pem"));
        assertTrue(sec1.startsWith("-----BEGIN EC PRIVATE KEY-----"), sec1);
        assertEquals(loader.loadPublic(Files.readString(dir.resolve("pub.pem"))).fingerprint(),
                loader.loadPrivate(sec1, null).publicKey().fingerprint());

        Openssl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        Openssl.ok(dir, "rsa", "-in", "rsa.pem", "-traditional", "-out", "pkcs1.pem");
        Openssl.ok(dir, "pkey", "-in", "rsa.pem", "-pubout", "-out", "rsapub.pem");
        String pkcs1 = Files.readString(dir.resolve("pkcs1.pem"));
        assertTrue(pkcs1.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pkcs1);
        assertEquals(loader.loadPublic(Files.readString(dir.resolve("rsapub.pem"))).fingerprint(),
                loader.loadPrivate(pkcs1, null).publicKey().fingerprint());
    }
}
