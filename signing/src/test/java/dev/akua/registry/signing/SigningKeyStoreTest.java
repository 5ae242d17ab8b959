package dev.akua.registry.signing;

import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.KeyLoader;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.key.VerificationKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningKeyStoreTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VAR = "AKUA_SIGNING_PASSPHRASE";

    @TempDir
    Path dir;

    private SigningKeyStore store(String passphrase) {
        Map<String, String> env = passphrase == null ? Map.of() : Map.of(VAR, passphrase);
        return new SigningKeyStore(dir, VAR, env::get);
    }

    @Test
    void generate_writesCosignEncryptedKeyOwnerReadableOnly() throws Exception {
        VerificationKey pub = store("s3cret").generate("release", KeyKind.ECDSA_P256, RANDOM);

        String key = Files.readString(dir.resolve("release.key"));
        assertTrue(key.startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"), key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("release.key"))));
        assertEquals(pub.fingerprint(), new KeyLoader().loadPublic(Files.readString(dir.resolve("release.pub"))).fingerprint());
        assertEquals(pub.fingerprint(), new KeyLoader().loadPrivate(key, "s3cret".toCharArray()).publicKey().fingerprint());
    }

    @Test
    void signingKey_inFreshStore_isDecryptedWithEnvironmentPassphrase() throws Exception {
        VerificationKey pub = store("s3cret").generate("release", KeyKind.ED25519, RANDOM);

        SigningKey key = store("s3cret").signingKey("release");

        assertEquals(pub.fingerprint(), key.publicKey().fingerprint());
        assertEquals(pub.fingerprint(), store(null).publicKey("release").fingerprint());
    }

    @Test
    void signingKey_withWrongOrMissingPassphrase_isUnavailable() throws Exception {
        store("s3cret").generate("release", KeyKind.ECDSA_P256, RANDOM);

        SigningException wrong = assertThrows(SigningException.class, () -> store("guess").signingKey("release"));
        SigningException missing = assertThrows(SigningException.class, () -> store(null).signingKey("release"));

        assertEquals(SigningException.Reason.KEY_UNAVAILABLE, wrong.reason());
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        assertEquals(SigningException.Reason.KEY_UNAVAILABLE, missing.reason());
        assertTrue(missing.getMessage().contains(VAR), missing.getMessage());
    }

    @Test
    void signingKey_unknownName_isKeyUnknown() {
        SigningException e = assertThrows(SigningException.class, () -> store("s3cret").signingKey("nope"));

        assertEquals(SigningException.Reason.KEY_UNKNOWN, e.reason());
    }

    @Test
    void importKey_fromPlainPkcs8_isStoredEncrypted() throws Exception {
        SigningKey original = SigningKey.generate(KeyKind.ECDSA_P256, RANDOM);

        store("s3cret").importKey("ci", new KeyLoader().writePkcs8(original), null, RANDOM);

        assertTrue(Files.readString(dir.resolve("ci.key")).contains("ENCRYPTED SIGSTORE PRIVATE KEY"));
        assertEquals(original.publicKey().fingerprint(), store("s3cret").signingKey("ci").publicKey().fingerprint());
    }

    @Test
    void names_listsStoredKeysSorted() throws Exception {
        SigningKeyStore store = store("s3cret");
        store.generate("zeta", KeyKind.ECDSA_P256, RANDOM);
        store.generate("alpha", KeyKind.ECDSA_P256, RANDOM);

        assertEquals(List.of("alpha", "zeta"), store.names());
    }

    @Test
    void generate_existingOrBadName_isRefused() throws Exception {
        SigningKeyStore store = store("s3cret");
        store.generate("release", KeyKind.ECDSA_P256, RANDOM);

        SigningException exists = assertThrows(SigningException.class, () -> store.generate("release", KeyKind.ECDSA_P256, RANDOM));
        SigningException traversal = assertThrows(SigningException.class, () -> store.generate("../escape", KeyKind.ECDSA_P256, RANDOM));

        assertEquals(SigningException.Reason.INVALID_REQUEST, exists.reason());
        assertEquals(SigningException.Reason.INVALID_REQUEST, traversal.reason());
        assertTrue(Files.notExists(dir.getParent().resolve("escape.key")));
    }
}
