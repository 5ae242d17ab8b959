package dev.akua.registry.feature.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.lockfile.helm.HelmRepoResolver;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteConfig;
import dev.akua.registry.remote.oci.LoginFields;
import dev.akua.registry.remote.oci.RegistryLogin;
import dev.akua.registry.signing.SigningConfig;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustedKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code lock.*} configuration keys (ConfigKeys, "lock (issue 5)"), validated once at start.
 * The same settings serve the HTTP API and the local {@code akua-registry lock} command, so a
 * workspace locks the same way on a laptop and through a registry.
 *
 * @param enabled         whether {@code POST /api/v1/lock} is served
 * @param remote          address policy, timeouts and redirect limit of every upstream fetch
 * @param helmLimits      caps on Helm repository data
 * @param maxRequestBytes cap on an API request body
 * @param maxConcurrent   lock resolutions the API runs at once
 * @param trustedKeys     keys that verify signatures when a workspace names none
 * @param signingPolicies the registry's signature policies ({@code signing.policies}): their keys
 *                        verify dependencies in the registry's own repositories when a workspace names no key
 * @param publicAuthority {@code host[:port]} of {@code http.publicUrl}, if set: a dependency there is in
 *                        this registry even when resolved by the local CLI
 * @param registryLogins  {@code lock.registries}: credentials per OCI registry {@code host[:port]}
 */
record LockSettings(boolean enabled, RemoteConfig remote, HelmRepoResolver.Limits helmLimits, int maxRequestBytes,
                    int maxConcurrent, List<TrustedKey> trustedKeys, TrustPolicies signingPolicies, Optional<String> publicAuthority,
                    Map<String, RegistryLogin> registryLogins) {
    /** Largest trusted-key file read (a PEM public key is well under 1 KiB). */
    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    LockSettings {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(helmLimits, "helmLimits");
        if (maxRequestBytes < 1024 || maxRequestBytes > 64 * 1024 * 1024) {
            throw new ConfigException("lock.api.maxRequestBytes must be between 1024 and 67108864, not " + maxRequestBytes);
        }
        if (maxConcurrent < 1) {
            throw new ConfigException("lock.api.maxConcurrent must be at least 1, not " + maxConcurrent);
        }
        trustedKeys = List.copyOf(trustedKeys);
        Objects.requireNonNull(signingPolicies, "signingPolicies");
        Objects.requireNonNull(publicAuthority, "publicAuthority");
        registryLogins = Map.copyOf(registryLogins);
    }

    static LockSettings from(RegistryConfig config) {
        AddressPolicy policy = AddressPolicy.publicOnly();
        if (config.boolValue("lock.remote.allowLoopback")) {
            policy = policy.withLoopbackAllowed();
        }
        if (config.boolValue("lock.remote.allowPrivate")) {
            policy = policy.withPrivateAllowed();
        }
        for (String cidr : list(config.value("lock.remote.allowedCidrs"))) {
            try {
                policy = policy.allowing(cidr);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("lock.remote.allowedCidrs: " + e.getMessage());
            }
        }
        RemoteConfig remote;
        try {
            remote = RemoteConfig.defaults()
                    .withAddressPolicy(policy)
                    .withConnectTimeout(positiveSeconds(config, "lock.remote.connectTimeoutSeconds"))
                    .withReadTimeout(positiveSeconds(config, "lock.remote.readTimeoutSeconds"))
                    .withTotalTimeout(positiveSeconds(config, "lock.remote.totalTimeoutSeconds"))
                    .withMaxRedirects(config.intValue("lock.remote.maxRedirects"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("lock.remote: " + e.getMessage());
        }
        HelmRepoResolver.Limits defaults = HelmRepoResolver.Limits.defaults();
        long maxIndex = positive(config, "lock.helm.maxIndexBytes");
        long maxChart = positive(config, "lock.helm.maxChartBytes");
        HelmRepoResolver.Limits helm = new HelmRepoResolver.Limits(maxIndex, defaults.maxIndexVersions(), maxChart,
                defaults.maxChartUncompressed(), Duration.ofSeconds(Math.max(0, config.longValue("lock.helm.indexRevalidateSeconds"))),
                defaults.maxCachedVersions(), defaults.maxCacheAge());
        return new LockSettings(config.boolValue("lock.enabled"), remote, helm, config.intValue("lock.api.maxRequestBytes"),
                config.intValue("lock.api.maxConcurrent"), trustedKeys(list(config.value("lock.trustedKeys"))),
                signingPolicies(config), publicAuthority(config.http().publicUrl()), registryLogins(config.section("lock.registries")));
    }

    /**
     * {@code lock.registries}: {@code [{host: "ghcr.io", username: bot, passwordEnv: GHCR_TOKEN}, {host: …, tokenFile: …}]}.
     * Credentials are sent only to the host they are configured for (and, through the registry's
     * client, never after a redirect to another origin).
     */
    private static Map<String, RegistryLogin> registryLogins(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("lock.registries must be a list of {host, credentials}");
        }
        Map<String, RegistryLogin> logins = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "lock.registries[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                throw new ConfigException(at + " must be a mapping");
            }
            for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!field.equals("host") && !LoginFields.NAMES.contains(field)) {
                    throw new ConfigException(at + ": unknown field '" + field + "' (known: host, "
                            + String.join(", ", LoginFields.NAMES.stream().sorted().toList()) + ")");
                }
            }
            String host = entry.path("host").asText("").strip().toLowerCase(Locale.ROOT);
            if (!host.matches("[a-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9a-f:.]+\\](:[0-9]{1,5})?")) {
                throw new ConfigException(at + ".host must be a registry host[:port] as written in oci:// references, not '" + host + "'");
            }
            if (logins.containsKey(host)) {
                throw new ConfigException(at + ": " + host + " is configured twice");
            }
            try {
                logins.put(host, LoginFields.read(entry, at, System::getenv, Path.of("")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        }
        return logins;
    }

    /** The {@code signing} section's policies (validated the same way the signing feature validates them). */
    private static TrustPolicies signingPolicies(RegistryConfig config) {
        try {
            return SigningConfig.read(config.section("signing"), Path.of("")).policies();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static Optional<String> publicAuthority(String publicUrl) {
        if (publicUrl.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(java.net.URI.create(publicUrl).getRawAuthority()).map(a -> a.toLowerCase(java.util.Locale.ROOT));
    }

    private static List<TrustedKey> trustedKeys(List<String> files) {
        List<TrustedKey> keys = new ArrayList<>();
        for (String file : files) {
            Path path = Path.of(file);
            String pem;
            try (InputStream in = Files.newInputStream(path)) {
                byte[] bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
                if (bytes.length > MAX_KEY_FILE_BYTES) {
                    throw new ConfigException("lock.trustedKeys: " + file + " is larger than " + MAX_KEY_FILE_BYTES + " bytes");
                }
                pem = new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("lock.trustedKeys: cannot read " + file + ": " + e.getMessage(), e);
            }
            try {
                keys.add(TrustedKey.fromPem(path.getFileName().toString(), pem));
            } catch (RuntimeException e) {
                throw new ConfigException("lock.trustedKeys: " + file + " is not a usable public key: " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static Duration positiveSeconds(RegistryConfig config, String key) {
        return Duration.ofSeconds(positive(config, key));
    }

    private static long positive(RegistryConfig config, String key) {
        long v = config.longValue(key);
        if (v <= 0) {
            throw new ConfigException(key + " must be positive, not " + v);
        }
        return v;
    }
}
