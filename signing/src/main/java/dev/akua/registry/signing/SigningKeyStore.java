package dev.akua.registry.signing;

import dev.akua.registry.signing.key.KeyFormatException;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.KeyLoader;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.key.VerificationKey;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The named signing keys the registry holds for server-side signing, encrypted at rest.
 *
 * <p>Layout: a directory with {@code <name>.key} (cosign's encrypted format, {@code ENCRYPTED
 * SIGSTORE PRIVATE KEY}, so a {@code cosign generate-key-pair} key can be dropped in as is, and a
 * stored key can be used with cosign or {@code skopeo --sign-by-sigstore-private-key}) and
 * {@code <name>.pub} (the SPKI public key). The passphrase of every key is the value of one
 * environment variable, whose name is configured; it is read when a key is first used, never
 * stored. Decrypted keys are kept in memory for the life of the store (scrypt makes each decryption
 * cost ~100 ms and 32 MiB). Files are written to a temporary name, synced, and renamed into place,
 * owner-readable only; an existing key is never overwritten.
 */
public final class SigningKeyStore {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final Path directory;
    private final String passphraseVariable;
    private final Function<String, String> environment;
    private final KeyLoader loader = new KeyLoader();
    private final Map<String, SigningKey> unlocked = new ConcurrentHashMap<>();

    /**
     * @param directory          where the key files live
     * @param passphraseVariable name of the environment variable holding the passphrase (e.g. {@code AKUA_SIGNING_PASSPHRASE})
     * @param environment        how to read it; {@code System::getenv} in production
     */
    public SigningKeyStore(Path directory, String passphraseVariable, Function<String, String> environment) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.passphraseVariable = Objects.requireNonNull(passphraseVariable, "passphraseVariable");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** The names of the stored keys, sorted. */
    public List<String> names() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.key")) {
            for (Path f : files) {
                String file = f.getFileName().toString();
                String name = file.substring(0, file.length() - ".key".length());
                if (NAME.matcher(name).matches()) {
                    out.add(name);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** The public key of {@code name} (from {@code <name>.pub}; no passphrase needed). */
    public VerificationKey publicKey(String name) throws IOException {
        Path pub = file(name, ".pub");
        try {
            return loader.loadPublic(Files.readString(pub, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return signingKey(name).publicKey();
        } catch (KeyFormatException e) {
            throw new SigningException(SigningException.Reason.KEY_UNAVAILABLE, "public key file of " + name + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Generates a key pair, stores it, and returns its public key; cosign's generate-key-pair makes ECDSA P-256. */
    public VerificationKey generate(String name, KeyKind kind, SecureRandom random) throws IOException {
        return store(name, SigningKey.generate(kind, random), random);
    }

    /**
     * Stores a key given as PEM in any format {@link KeyLoader} reads (cosign.key, PKCS#8 plain or
     * encrypted, SEC1, PKCS#1), re-encrypted under the store's passphrase.
     */
    public VerificationKey importKey(String name, String pem, char[] pemPassphrase, SecureRandom random) throws IOException {
        SigningKey key;
        try {
            key = loader.loadPrivate(pem, pemPassphrase);
        } catch (KeyFormatException e) {
            throw new SigningException(SigningException.Reason.INVALID_REQUEST, "key could not be read: " + e.getMessage(), e);
        }
        return store(name, key, random);
    }

    /** The decrypted key {@code name}. */
    SigningKey signingKey(String name) throws IOException {
        checkName(name);
        SigningKey cached = unlocked.get(name);
        if (cached != null) {
            return cached;
        }
        Path file = file(name, ".key");
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new SigningException(SigningException.Reason.KEY_UNKNOWN, "no signing key named " + name);
        }
        char[] passphrase = passphrase();
        try {
            SigningKey key = loader.loadPrivate(pem, passphrase);
            unlocked.put(name, key);
            return key;
        } catch (KeyFormatException e) {
            throw new SigningException(SigningException.Reason.KEY_UNAVAILABLE, "signing key " + name + " cannot be used: " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    private VerificationKey store(String name, SigningKey key, SecureRandom random) throws IOException {
        checkName(name);
        Path keyFile = file(name, ".key");
        if (Files.exists(keyFile)) {
            throw new SigningException(SigningException.Reason.INVALID_REQUEST, "a signing key named " + name + " already exists");
        }
        char[] passphrase = passphrase();
        String encrypted;
        try {
            encrypted = loader.writeCosignEncrypted(key, passphrase, random);
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
        Files.createDirectories(directory);
        writeNew(file(name, ".pub"), key.publicKey().pem(), true);
        writeNew(keyFile, encrypted, false);
        unlocked.put(name, key);
        return key.publicKey();
    }

    private char[] passphrase() {
        String value = environment.apply(passphraseVariable);
        if (value == null || value.isEmpty()) {
            throw new SigningException(SigningException.Reason.KEY_UNAVAILABLE,
                    "environment variable " + passphraseVariable + " (the signing key passphrase) is not set");
        }
        return value.toCharArray();
    }

    private Path file(String name, String suffix) {
        checkName(name);
        return directory.resolve(name + suffix);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SigningException(SigningException.Reason.INVALID_REQUEST,
                    "invalid key name (use [a-z0-9][a-z0-9._-], at most 64 characters)");
        }
    }

    /** Temp file, fsync, rename; {@code replace} only for the public half. */
    private static void writeNew(Path target, String text, boolean replace) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; rely on the directory's permissions
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.US_ASCII.encode(text));
                ch.force(true);
            }
            if (replace) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            throw new SigningException(SigningException.Reason.INVALID_REQUEST, "a signing key file " + target.getFileName() + " already exists");
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
