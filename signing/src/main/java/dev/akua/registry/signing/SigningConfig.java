package dev.akua.registry.signing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.signing.bundle.KeylessTrust;
import dev.akua.registry.signing.key.KeyFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code signing} section of the registry configuration, already parsed (YAML or JSON) into a
 * Jackson tree by the registry:
 * <pre>
 * trustedRoot: trusted_root.json            # optional, for keyless bundles; relative to the config file
 * limits:                                    # optional; defaults of VerificationLimits
 *   maxSignatureLayers: 100
 *   maxPayloadBytes: 65536
 *   maxEnvelopeBytes: 4194304
 *   maxBundleBytes: 1048576
 *   maxReferrers: 100
 *   cacheEntries: 10000
 *   cacheTtlSeconds: 600
 * policies:                                  # first match wins
 *   - name: release
 *     repositories: ["acme/**"]
 *     keys:
 *       - name: release
 *         publicKeyFile: keys/release.pub    # or publicKey: "-----BEGIN PUBLIC KEY-----..."
 *     keyless:
 *       - issuer: https://token.actions.githubusercontent.com   # or issuerRegex
 *         subjectRegex: "https://github\\.com/acme/.*"           # or subject
 *     enforce: pull                          # or none (default)
 *     requireAttestations: ["https://slsa.dev/provenance/v1"]    # optional
 * keys:                                      # optional: server-side signing
 *   directory: /var/lib/akua/signing-keys
 *   passphraseEnv: AKUA_SIGNING_PASSPHRASE
 * </pre>
 * Unknown fields are errors (a misspelt {@code enforce} must not silently disable enforcement).
 * Errors are {@link IllegalArgumentException}s naming the offending path, e.g.
 * {@code signing.policies[0].keys[1].publicKeyFile: ...}.
 *
 * @param policies the trust policies (with the trusted root, if any)
 * @param limits   verification limits
 * @param keyStore server-side signing keys, or null when not configured
 */
public record SigningConfig(TrustPolicies policies, VerificationLimits limits, KeyStoreConfig keyStore) {
    public SigningConfig {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * Where the signing keys live and which environment variable holds their passphrase.
     *
     * @param directory     key directory
     * @param passphraseEnv name of the environment variable
     */
    public record KeyStoreConfig(Path directory, String passphraseEnv) {
        public KeyStoreConfig {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(passphraseEnv, "passphraseEnv");
        }
    }

    /** No policies, default limits, no signing keys: what an absent section means. */
    public static SigningConfig defaults() {
        return new SigningConfig(TrustPolicies.none(), VerificationLimits.defaults(), null);
    }

    /**
     * Reads the section.
     *
     * @param node    the {@code signing} node, or null/missing for {@link #defaults()}
     * @param baseDir directory relative file names are resolved against (the config file's)
     */
    public static SigningConfig read(JsonNode node, Path baseDir) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return defaults();
        }
        String at = "signing";
        requireObject(node, at);
        allowOnly(node, at, Set.of("trustedRoot", "limits", "policies", "keys"));
        KeylessTrust trust = null;
        if (node.hasNonNull("trustedRoot")) {
            Path file = baseDir.resolve(text(node, "trustedRoot", at));
            try {
                trust = KeylessTrust.fromTrustedRootJson(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new IllegalArgumentException(at + ".trustedRoot: cannot read " + file + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".trustedRoot: " + e.getMessage(), e);
            }
        }
        VerificationLimits limits = limits(node.get("limits"), at + ".limits");
        List<TrustPolicy> policies = new ArrayList<>();
        JsonNode list = node.get("policies");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException(at + ".policies must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                policies.add(policy(list.get(i), at + ".policies[" + i + "]", baseDir, trust));
            }
        }
        KeyStoreConfig keys = null;
        JsonNode k = node.get("keys");
        if (k != null && !k.isNull()) {
            requireObject(k, at + ".keys");
            allowOnly(k, at + ".keys", Set.of("directory", "passphraseEnv"));
            keys = new KeyStoreConfig(baseDir.resolve(text(k, "directory", at + ".keys")),
                    k.hasNonNull("passphraseEnv") ? text(k, "passphraseEnv", at + ".keys") : "AKUA_SIGNING_PASSPHRASE");
        }
        return new SigningConfig(new TrustPolicies(policies, trust), limits, keys);
    }

    private static TrustPolicy policy(JsonNode p, String at, Path baseDir, KeylessTrust trust) {
        requireObject(p, at);
        allowOnly(p, at, Set.of("name", "repositories", "keys", "keyless", "enforce", "requireAttestations"));
        String name = p.hasNonNull("name") ? text(p, "name", at) : at;
        List<RepositoryPattern> repositories = new ArrayList<>();
        for (String r : strings(p.get("repositories"), at + ".repositories")) {
            try {
                repositories.add(RepositoryPattern.parse(r));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".repositories: " + e.getMessage(), e);
            }
        }
        List<TrustedKey> keys = new ArrayList<>();
        JsonNode keyList = p.get("keys");
        if (keyList != null && !keyList.isNull()) {
            if (!keyList.isArray()) {
                throw new IllegalArgumentException(at + ".keys must be a list");
            }
            for (int i = 0; i < keyList.size(); i++) {
                keys.add(key(keyList.get(i), at + ".keys[" + i + "]", baseDir));
            }
        }
        List<KeylessIdentity> identities = new ArrayList<>();
        JsonNode keyless = p.get("keyless");
        if (keyless != null && !keyless.isNull()) {
            if (!keyless.isArray()) {
                throw new IllegalArgumentException(at + ".keyless must be a list");
            }
            if (trust == null && !keyless.isEmpty()) {
                throw new IllegalArgumentException(at + ".keyless needs signing.trustedRoot (a trusted_root.json)");
            }
            for (int i = 0; i < keyless.size(); i++) {
                JsonNode id = keyless.get(i);
                String idAt = at + ".keyless[" + i + "]";
                requireObject(id, idAt);
                allowOnly(id, idAt, Set.of("issuer", "issuerRegex", "subject", "subjectRegex"));
                try {
                    identities.add(new KeylessIdentity(optional(id, "issuer", idAt), optional(id, "issuerRegex", idAt),
                            optional(id, "subject", idAt), optional(id, "subjectRegex", idAt)));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(idAt + ": " + e.getMessage(), e);
                }
            }
        }
        Enforcement enforcement;
        try {
            enforcement = Enforcement.parse(optional(p, "enforce", at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".enforce: " + e.getMessage(), e);
        }
        List<String> required = p.has("requireAttestations") ? strings(p.get("requireAttestations"), at + ".requireAttestations") : List.of();
        try {
            return new TrustPolicy(name, repositories, keys, identities, enforcement, required);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static TrustedKey key(JsonNode k, String at, Path baseDir) {
        requireObject(k, at);
        allowOnly(k, at, Set.of("name", "publicKey", "publicKeyFile"));
        String name = text(k, "name", at);
        String pem;
        if (k.hasNonNull("publicKey") == k.hasNonNull("publicKeyFile")) {
            throw new IllegalArgumentException(at + ": give exactly one of publicKey and publicKeyFile");
        }
        if (k.hasNonNull("publicKey")) {
            pem = text(k, "publicKey", at);
        } else {
            Path file = baseDir.resolve(text(k, "publicKeyFile", at));
            try {
                pem = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException(at + ".publicKeyFile: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            return TrustedKey.fromPem(name, pem);
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static VerificationLimits limits(JsonNode l, String at) {
        VerificationLimits d = VerificationLimits.defaults();
        if (l == null || l.isNull()) {
            return d;
        }
        requireObject(l, at);
        allowOnly(l, at, Set.of("maxSignatureLayers", "maxPayloadBytes", "maxEnvelopeBytes", "maxBundleBytes", "maxReferrers",
                "maxManifestBytes", "cacheEntries", "cacheTtlSeconds"));
        try {
            return new VerificationLimits(
                    integer(l, "maxSignatureLayers", d.maxSignatureLayers(), at),
                    integer(l, "maxPayloadBytes", d.maxPayloadBytes(), at),
                    integer(l, "maxEnvelopeBytes", d.maxEnvelopeBytes(), at),
                    integer(l, "maxBundleBytes", d.maxBundleBytes(), at),
                    integer(l, "maxReferrers", d.maxReferrers(), at),
                    integer(l, "maxManifestBytes", d.maxManifestBytes(), at),
                    integer(l, "cacheEntries", (int) d.cacheEntries(), at),
                    Duration.ofSeconds(integer(l, "cacheTtlSeconds", (int) d.cacheTtl().toSeconds(), at)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonNode node, String field, int fallback, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(at + "." + field + " must be an integer");
        }
        return v.intValue();
    }

    private static List<String> strings(JsonNode node, String at) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(at + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : node) {
            if (!v.isTextual()) {
                throw new IllegalArgumentException(at + " must be a list of strings");
            }
            out.add(v.asText());
        }
        return out;
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(at + "." + field + " is required (a string)");
        }
        return v.asText();
    }

    private static String optional(JsonNode node, String field, String at) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(at + "." + field + " must be a string");
        }
        return v.asText();
    }

    private static void requireObject(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + " must be a mapping");
        }
    }

    private static void allowOnly(JsonNode node, String at, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException(at + ": unknown field '" + f + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }
}
