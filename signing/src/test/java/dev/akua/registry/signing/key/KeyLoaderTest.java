package dev.akua.registry.signing.key;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyLoaderTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KeyLoader loader = new KeyLoader();

    private static String resource(String name) throws IOException {
        try (InputStream in = KeyLoaderTest.class.getResourceAsStream("/keys/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void cosignKey_writtenByTweetnacl_loadsAndMatchesItsPublicKey() throws Exception {
        SigningKey key = loader.loadPrivate(resource("cosign-key-made-by-tweetnacl.key"), "correct horse battery staple".toCharArray());
        VerificationKey pub = loader.loadPublic(resource("cosign-key-made-by-tweetnacl.pub"));

        assertEquals(KeyKind.ECDSA_P256, key.kind());
        assertEquals(pub.fingerprint(), key.publicKey().fingerprint());
        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        assertTrue(pub.verify(data, key.sign(data)).valid());
    }

    @Test
    void cosignKey_withWrongPassphrase_isRefusedByAuthentication() throws Exception {
        String pem = resource("cosign-key-made-by-tweetnacl.key");

        KeyFormatException e = assertThrows(KeyFormatException.class, () -> loader.loadPrivate(pem, "correct horse battery stapler".toCharArray()));

        assertTrue(e.getMessage().contains("wrong passphrase or corrupt key"), e.getMessage());
    }

    @Test
    void cosignKey_withFlippedCiphertextByte_isRefused() throws Exception {
        String pem = resource("cosign-key-made-by-tweetnacl.key");
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        String json = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        int at = json.indexOf("\"ciphertext\":\"") + 20;
        char c = json.charAt(at);
        String tampered = json.substring(0, at) + (c == 'A' ? 'B' : 'A') + json.substring(at + 1);
        String tamperedPem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8))
                + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";

        assertThrows(KeyFormatException.class, () -> loader.loadPrivate(tamperedPem, "correct horse battery staple".toCharArray()));
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void cosignKey_writtenHere_roundTripsForEveryKeyKind(KeyKind kind) {
        SigningKey key = SigningKey.generate(kind, RANDOM);

        String pem = loader.writeCosignEncrypted(key, "pw".toCharArray(), RANDOM);
        SigningKey back = loader.loadPrivate(pem, "pw".toCharArray());

        assertTrue(pem.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"));
        assertEquals(key.publicKey().fingerprint(), back.publicKey().fingerprint());
        byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
        assertTrue(key.publicKey().verify(data, back.sign(data)).valid());
    }

    @Test
    void cosignKey_writtenHere_hasGoSecuresystemslibFieldsAndDefaults() {
        String pem = loader.writeCosignEncrypted(SigningKey.generate(KeyKind.ECDSA_P256, RANDOM), "pw".toCharArray(), RANDOM);
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        String json = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);

        assertTrue(json.startsWith("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\""), json);
        assertTrue(json.contains("\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\""), json);
        assertTrue(json.contains("\"ciphertext\":\""), json);
        for (String line : pem.split("\n")) {
            assertTrue(line.length() <= 64, "PEM lines are at most 64 characters: " + line);
        }
    }

    @Test
    void legacyCosignPemType_isRead() {
        SigningKey key = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);
        String legacy = loader.writeCosignEncrypted(key, "pw".toCharArray(), RANDOM)
                .replace("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY");

        assertEquals(key.publicKey().fingerprint(), loader.loadPrivate(legacy, "pw".toCharArray()).publicKey().fingerprint());
    }

    @Test
    void cosignKey_withHugeScryptCost_isRefusedBeforeAllocating() {
        String json = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1073741824,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},"
                + "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},\"ciphertext\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}";
        String pem = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
                + "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";

        KeyFormatException e = assertThrows(KeyFormatException.class, () -> loader.loadPrivate(pem, "pw".toCharArray()));

        assertTrue(e.getMessage().contains("scrypt parameters out of range"), e.getMessage());
    }

    @Test
    void pkcs8Key_writtenHere_roundTrips() {
        SigningKey key = SigningKey.generate(KeyKind.ED25519, RANDOM);

        assertEquals(key.publicKey().fingerprint(), loader.loadPrivate(loader.writePkcs8(key), null).publicKey().fingerprint());
    }

    @Test
    void unknownPemType_isRefusedWithItsName() {
        String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

        KeyFormatException e = assertThrows(KeyFormatException.class, () -> loader.loadPrivate(pem, null));

        assertEquals("unsupported private key PEM type: OPENSSH PRIVATE KEY", e.getMessage());
    }

    @Test
    void garbageText_isRefused() {
        assertThrows(KeyFormatException.class, () -> loader.loadPublic("not a key"));
        assertThrows(KeyFormatException.class, () -> loader.loadPublic("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        assertThrows(KeyFormatException.class, () -> loader.loadPublic("x".repeat(KeyLoader.MAX_KEY_FILE_BYTES + 1)));
    }

    @Test
    void fingerprint_isSha256OfSpki() throws Exception {
        VerificationKey pub = loader.loadPublic(resource("cosign-key-made-by-tweetnacl.pub"));
        byte[] spki = java.security.MessageDigest.getInstance("SHA-256").digest(pub.spki());

        assertEquals("sha256:" + java.util.HexFormat.of().formatHex(spki), pub.fingerprint());
        assertFalse(pub.fingerprint().isEmpty());
    }

    @Test
    void verify_ed25519SignatureOfWrongLength_saysSo() {
        SigningKey key = SigningKey.generate(KeyKind.ED25519, RANDOM);

        SignatureCheck check = key.publicKey().verify(new byte[1], new byte[10]);

        assertEquals("Ed25519 signature must be 64 bytes, got 10", check.reason());
    }
}
