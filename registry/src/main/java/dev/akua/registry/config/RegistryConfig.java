package dev.akua.registry.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The typed configuration the composition root builds from. Validation happens here, once, at start.
 */
public record RegistryConfig(Http http, Storage storage, Api api, Map<String, String> values,
                             Map<String, JsonNode> sections) {

    public RegistryConfig {
        values = Map.copyOf(values);
        sections = Map.copyOf(sections);
    }

    /** A scalar setting by key (every key of {@link ConfigKeys#DEFAULTS} has a value, possibly ""). */
    public String value(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException("no such configuration key: " + key);
        }
        return v;
    }

    public int intValue(String key) {
        return integer(values, key);
    }

    public long longValue(String key) {
        return longValue(values, key);
    }

    public boolean boolValue(String key) {
        return bool(values, key);
    }

    /** A duration given in seconds. */
    public Duration seconds(String key) {
        return Duration.ofSeconds(longValue(values, key));
    }

    /** A structured section ({@link ConfigKeys#STRUCTURED}), or a missing node when not configured. */
    public JsonNode section(String path) {
        JsonNode node = sections.get(path);
        return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
    }

    public record Http(String host, int port, String publicUrl, int maxConcurrentRequests) {
        public Http {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new ConfigException("http.port must be between 0 and 65535, not " + port);
            }
            if (!publicUrl.isEmpty() && !(publicUrl.startsWith("http://") || publicUrl.startsWith("https://"))) {
                throw new ConfigException("http.publicUrl must be an absolute http(s) URL, not " + publicUrl);
            }
            while (publicUrl.endsWith("/")) {
                publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
            }
        }
    }

    public record Storage(String driver, Path filesystemRoot, boolean deleteEnabled, int maxManifestBytes,
                          Duration pointerTtl, long manifestCacheBytes) {
        public Storage {
            if (!driver.equals("filesystem") && !driver.equals("inmemory") && !driver.equals("s3")) {
                throw new ConfigException("storage.driver must be filesystem, inmemory or s3, not " + driver);
            }
            if (maxManifestBytes < 4 * 1024 * 1024) {
                // distribution-spec "Pushing Manifests": registries SHOULD accept at least 4 MB
                throw new ConfigException("storage.maxManifestBytes must be at least 4194304");
            }
        }
    }

    public record Api(int maxPageSize) {
        public Api {
            if (maxPageSize < 1) {
                throw new ConfigException("api.maxPageSize must be at least 1");
            }
        }
    }

    public static RegistryConfig defaults() {
        return from(ConfigKeys.DEFAULTS, Map.of());
    }

    static RegistryConfig from(Map<String, String> v, Map<String, JsonNode> sections) {
        return new RegistryConfig(
                new Http(v.get("http.host"), integer(v, "http.port"), v.get("http.publicUrl"),
                        integer(v, "http.maxConcurrentRequests")),
                new Storage(v.get("storage.driver"), Path.of(v.get("storage.filesystem.root")),
                        bool(v, "storage.delete.enabled"), integer(v, "storage.maxManifestBytes"),
                        Duration.ofSeconds(integer(v, "storage.pointerTtlSeconds")),
                        longValue(v, "storage.manifestCacheBytes")),
                new Api(integer(v, "api.maxPageSize")), v, sections);
    }

    /** A copy listening on another port (tests and tools start on port 0). */
    public RegistryConfig withPort(int port) {
        Map<String, String> v = new java.util.HashMap<>(values);
        v.put("http.port", String.valueOf(port));
        return new RegistryConfig(new Http(http.host, port, http.publicUrl, http.maxConcurrentRequests), storage, api, v, sections);
    }


    private static int integer(Map<String, String> v, String key) {
        try {
            return Integer.parseInt(v.get(key).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be an integer, not '" + v.get(key) + "'");
        }
    }

    private static long longValue(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be an integer, not '" + v.get(key) + "'");
        }
    }

    private static boolean bool(Map<String, String> v, String key) {
        String s = v.get(key).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + " must be true or false, not '" + v.get(key) + "'");
        };
    }
}
