package dev.akua.registry.feature.signing;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.signing.SigningConfig;
import dev.akua.registry.signing.SigningException;
import dev.akua.registry.signing.SigningKeyStore;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.KeyLoader;
import dev.akua.registry.signing.key.VerificationKey;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code akua-registry signing-key …}: manages the keys the registry signs with
 * ({@code signing.keys.directory}; every private key encrypted at rest in cosign's format under the
 * passphrase in {@code signing.keys.passphraseEnv}, {@code AKUA_SIGNING_PASSPHRASE} by default).
 * <pre>
 * signing-key list                                   names and fingerprints
 * signing-key generate NAME [--type T]               new key pair (T: ecdsa-p256 (default, as cosign), ecdsa-p384, ecdsa-p521, ed25519, rsa)
 * signing-key import NAME FILE [--passphrase-env V]  a cosign.key, PKCS#8 (plain or encrypted), SEC1 or PKCS#1 PEM; V holds FILE's passphrase
 * signing-key public NAME                            the public key PEM (what trust policies and cosign verify --key use)
 * </pre>
 * A running registry sees new keys at once (keys are read when first used). Existing keys are never
 * overwritten. Exit 0 on success, 2 on any error.
 */
public final class SigningKeyCommand implements CliCommand {
    private final Function<String, String> environment;

    public SigningKeyCommand() {
        this(System::getenv);
    }

    public SigningKeyCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "signing-key";
    }

    @Override
    public String summary() {
        return "list | generate NAME [--type T] | import NAME FILE [--passphrase-env V] | public NAME   server-side signing keys";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        String type = "ecdsa-p256";
        String passphraseEnv = null;
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if ((a.equals("--type") || a.equals("--passphrase-env")) && i + 1 < rest.size()) {
                if (a.equals("--type")) {
                    type = rest.get(i + 1);
                } else {
                    passphraseEnv = rest.get(i + 1);
                }
                rest.remove(i + 1);
                rest.remove(i);
                i--;
            } else if (a.startsWith("-")) {
                return usage(err, "unknown option " + a);
            }
        }
        if (rest.isEmpty()) {
            return usage(err, "expected a subcommand");
        }
        SigningConfig.KeyStoreConfig keys;
        try {
            keys = SigningFeature.readConfig(config.section("signing")).keyStore();
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
        if (keys == null) {
            err.println("signing-key: signing.keys is not configured (set signing.keys.directory in the configuration file)");
            return 2;
        }
        SigningKeyStore store = new SigningKeyStore(keys.directory(), keys.passphraseEnv(), environment);
        String sub = rest.get(0);
        try {
            switch (sub) {
                case "list" -> {
                    if (rest.size() != 1) {
                        return usage(err, "list takes no arguments");
                    }
                    for (String name : store.names()) {
                        out.println(name + " " + store.publicKey(name).kind() + " " + store.publicKey(name).fingerprint());
                    }
                    return 0;
                }
                case "generate" -> {
                    if (rest.size() != 2) {
                        return usage(err, "generate takes one key name");
                    }
                    KeyKind kind = kind(type);
                    if (kind == null) {
                        return usage(err, "unknown key type " + type);
                    }
                    return printNew(out, rest.get(1), store.generate(rest.get(1), kind, new SecureRandom()));
                }
                case "import" -> {
                    if (rest.size() != 3) {
                        return usage(err, "import takes a key name and a PEM file");
                    }
                    Path file = Path.of(rest.get(2));
                    if (Files.size(file) > KeyLoader.MAX_KEY_FILE_BYTES) {
                        err.println("signing-key: " + file + " is larger than " + KeyLoader.MAX_KEY_FILE_BYTES + " bytes; not a key file");
                        return 2;
                    }
                    String pem = Files.readString(file, StandardCharsets.US_ASCII);
                    char[] passphrase = null;
                    if (passphraseEnv != null) {
                        String value = environment.apply(passphraseEnv);
                        if (value == null) {
                            err.println("signing-key: environment variable " + passphraseEnv + " is not set");
                            return 2;
                        }
                        passphrase = value.toCharArray();
                    }
                    try {
                        return printNew(out, rest.get(1), store.importKey(rest.get(1), pem, passphrase, new SecureRandom()));
                    } finally {
                        if (passphrase != null) {
                            Arrays.fill(passphrase, '\0');
                        }
                    }
                }
                case "public" -> {
                    if (rest.size() != 2) {
                        return usage(err, "public takes one key name");
                    }
                    out.print(store.publicKey(rest.get(1)).pem());
                    return 0;
                }
                default -> {
                    return usage(err, "unknown subcommand " + sub);
                }
            }
        } catch (SigningException e) {
            err.println("signing-key: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("signing-key: " + e.getMessage());
            return 2;
        }
    }

    private static int printNew(PrintStream out, String name, VerificationKey key) {
        out.println("stored signing key " + name + " (" + key.kind() + ", " + key.fingerprint() + "); its public key:");
        out.print(key.pem());
        return 0;
    }

    static KeyKind kind(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "ecdsa-p256", "p256", "ecdsa" -> KeyKind.ECDSA_P256;
            case "ecdsa-p384", "p384" -> KeyKind.ECDSA_P384;
            case "ecdsa-p521", "p521" -> KeyKind.ECDSA_P521;
            case "ed25519" -> KeyKind.ED25519;
            case "rsa" -> KeyKind.RSA;
            default -> null;
        };
    }

    private static int usage(PrintStream err, String problem) {
        err.println("signing-key: " + problem);
        err.println("usage: akua-registry signing-key list | generate NAME [--type ecdsa-p256|ecdsa-p384|ecdsa-p521|ed25519|rsa]");
        err.println("                                 | import NAME FILE [--passphrase-env VAR] | public NAME");
        return 2;
    }
}
