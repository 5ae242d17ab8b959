package dev.akua.registry.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every scalar configuration key with its embedded default and meaning. One table, so the loader
 * can refuse unknown keys (a typo fails at start instead of being ignored) and the docs can be
 * checked against it. The environment variable for a key is {@code AKUA_REGISTRY_} + the key
 * upper-cased with dots as underscores ({@code http.port} → {@code AKUA_REGISTRY_HTTP_PORT}).
 *
 * <p>Some settings are lists and maps (permission rules, trust policies, upstreams). Those live in
 * structured sections ({@link #STRUCTURED}): the YAML subtree is handed whole to the feature that
 * owns it, which validates it strictly; they have no environment variables.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    /** Key → default value ("" means unset). Insertion order is documentation order. */
    public static final Map<String, String> DEFAULTS;
    /** Key → one-line description. */
    public static final Map<String, String> DESCRIPTIONS;
    /**
     * Structured sections (dotted path → what it holds): the subtree at that path is not flattened
     * but passed to its feature as a YAML tree.
     */
    public static final Map<String, String> STRUCTURED;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        Map<String, String> h = new LinkedHashMap<>();
        def(d, h, "http.host", "127.0.0.1", "address to listen on");
        def(d, h, "http.port", "5000", "port to listen on (0 picks a free port)");
        def(d, h, "http.publicUrl", "", "absolute base URL for Location headers (e.g. https://registry.example.com); relative Locations when empty");
        def(d, h, "http.maxConcurrentRequests", "0", "cap on requests served at once, 0 = unlimited");
        def(d, h, "storage.driver", "filesystem", "filesystem or inmemory");
        def(d, h, "storage.filesystem.root", "./data", "root directory of the filesystem driver");
        def(d, h, "storage.delete.enabled", "true", "allow DELETE of manifests, tags and blobs (405 UNSUPPORTED when false)");
        def(d, h, "storage.maxManifestBytes", "4194304", "largest manifest accepted (larger → 413)");
        def(d, h, "storage.pointerTtlSeconds", "5", "seconds a cached tag/revision may be served by another replica after it changed");
        def(d, h, "storage.manifestCacheBytes", "67108864", "memory for cached manifest bytes");
        def(d, h, "api.maxPageSize", "1000", "largest n for _catalog, tags/list and referrers pages");
        // --- auth (issue 3) ---
        // --- signing (issue 4) ---
        // --- lock (issue 5) ---
        // --- helm (issue 6) ---
        // --- publish (issue 7) ---
        // --- s3, gc, retention, scrub (issue 8) ---
        def(d, h, "storage.s3.bucket", "", "S3 bucket (storage.driver: s3); it must exist");
        def(d, h, "storage.s3.prefix", "", "key prefix inside the bucket, so one bucket can hold several registries");
        def(d, h, "storage.s3.endpoint", "", "endpoint URL of an S3-compatible server (MinIO, Ceph RGW, s3proxy); empty for AWS");
        def(d, h, "storage.s3.region", "us-east-1", "signing region");
        def(d, h, "storage.s3.pathStyle", "false", "path-style requests (http://host/bucket/key); most S3-compatible servers need true");
        def(d, h, "storage.s3.accessKeyId", "", "static access key; empty uses the AWS default chain (AWS_* variables, profile, instance role)");
        def(d, h, "storage.s3.secretAccessKey", "", "secret of storage.s3.accessKeyId (prefer the environment variable)");
        def(d, h, "storage.s3.partSizeBytes", "8388608", "bytes buffered per multipart part while writing (at least 5 MiB)");
        def(d, h, "storage.s3.maxAttempts", "4", "attempts per S3 request; throttling, 5xx and I/O errors are retried with backoff");
        def(d, h, "storage.s3.connectTimeoutSeconds", "5", "TCP connect timeout to the S3 endpoint");
        def(d, h, "storage.s3.socketTimeoutSeconds", "60", "read timeout on an open S3 connection");
        def(d, h, "storage.s3.checksums", "when_supported", "request checksums: when_supported (SDK default) or when_required (older S3-compatible servers)");
        def(d, h, "storage.s3.redirect.enabled", "false", "answer blob GETs with a 307 to a presigned S3 URL");
        def(d, h, "storage.s3.redirect.ttlSeconds", "1200", "lifetime of presigned blob URLs");
        def(d, h, "storage.s3.redirect.endpoint", "", "endpoint to presign for when clients reach S3 under another address; empty = storage.s3.endpoint");
        def(d, h, "gc.intervalSeconds", "0", "run garbage collection every N seconds (0 = only on command: akua-registry gc)");
        def(d, h, "gc.graceSeconds", "3600", "nothing younger is collected; also how long collected objects stay restorable");
        def(d, h, "gc.untagged", "keep", "untagged manifests: keep, or delete once older than the grace period");
        def(d, h, "retention.intervalSeconds", "0", "apply retention.rules every N seconds (0 = only on command: akua-registry retention)");
        def(d, h, "scrub.intervalSeconds", "0", "re-hash every blob every N seconds (0 = only on command: akua-registry scrub)");
        def(d, h, "purge.intervalSeconds", "0", "purge expired upload sessions every N seconds (0 = only on command: akua-registry purge)");
        def(d, h, "purge.uploadMaxAgeSeconds", "86400", "an upload session untouched this long is expired");
        def(d, h, "maintenance.leaseTtlSeconds", "300", "lease of a running maintenance task (one holder across replicas)");
        def(d, h, "maintenance.leaseSettleMillis", "500", "wait between writing and re-reading a lease object");
        // --- mirror (issue 9) ---
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
        DESCRIPTIONS = java.util.Collections.unmodifiableMap(h);

        Map<String, String> s = new LinkedHashMap<>();
        // --- auth (issue 3) ---
        // --- signing (issue 4) ---
        // --- helm (issue 6) ---
        // --- publish (issue 7) ---
        // --- gc, retention (issue 8) ---
        s.put("retention.rules", "retention rules: [{repositories: glob, keepLast: N, keepNewerThan: 30d, keepMatching: regex}]");
        s.put("retention.protect", "tags retention never removes besides immutable ones: [{repositories: glob, tags: semver|regex}]");
        // --- mirror (issue 9) ---
        STRUCTURED = java.util.Collections.unmodifiableMap(s);
    }

    private static void def(Map<String, String> d, Map<String, String> h, String key, String value, String description) {
        d.put(key, value);
        h.put(key, description);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "AKUA_REGISTRY_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }
}
