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
        def(d, h, "auth.enabled", "false", "true locks the registry down (token auth, permissions); false = open quick start, everyone may do everything");
        def(d, h, "auth.realm", "", "absolute URL of the token endpoint as clients reach it; when empty: http.publicUrl + /token, else derived from the request's Host");
        def(d, h, "auth.service", "akua-registry", "service name in challenges and token audience (no commas or quotes)");
        def(d, h, "auth.issuer", "akua-registry", "issuer (iss) of the registry's tokens");
        def(d, h, "auth.tokenLifetime", "1h", "lifetime of issued tokens, 1m..24h (e.g. 30m, 1h, 3600s)");
        def(d, h, "auth.signingKey", "", "PEM private key signing tokens (must exist); when empty: <storage.filesystem.root>/auth/token-signing-key.pem, generated");
        def(d, h, "auth.usersFile", "", "htpasswd file (bcrypt); when empty: <storage.filesystem.root>/auth/htpasswd");
        def(d, h, "auth.tokensFile", "", "robot and personal tokens; when empty: <storage.filesystem.root>/auth/tokens.json");
        def(d, h, "auth.bcryptCost", "10", "bcrypt cost of passwords the CLI writes (4..17)");
        def(d, h, "auth.auditLog", "", "audit log (JSON lines); when empty: <storage.filesystem.root>/auth/audit.jsonl; off disables");
        def(d, h, "auth.throttle.maxFailuresPerAddress", "10", "failed logins per client address within the window before 429 (0 disables)");
        def(d, h, "auth.throttle.maxFailuresPerUser", "5", "failed logins per user name within the window before 429 (0 disables)");
        def(d, h, "auth.throttle.window", "5m", "time a full failure bucket takes to drain");
        def(d, h, "auth.throttle.maxTracked", "10000", "addresses and user names tracked by the throttle, each");
        // --- signing (issue 4) ---
        // --- lock (issue 5) ---
        // --- helm (issue 6) ---
        // --- publish (issue 7) ---
        // --- s3, gc, retention, scrub (issue 8) ---
        // --- mirror (issue 9) ---
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
        DESCRIPTIONS = java.util.Collections.unmodifiableMap(h);

        Map<String, String> s = new LinkedHashMap<>();
        // --- auth (issue 3) ---
        s.put("auth.groups", "groups: name → [members] (alice, user:alice, robot:ci)");
        s.put("auth.admins", "subjects with every right everywhere: [user:root, group:ops]");
        s.put("auth.permissions", "rules: [{repository: <glob>, grants: {<subject>: [pull, push, delete, sign, admin]}}]; most specific glob decides");
        s.put("auth.immutableTags", "rules: [{repository: <glob>, tags: semver | none | <regex>}]; default semver everywhere, [] for none");
        // --- signing (issue 4) ---
        // --- helm (issue 6) ---
        // --- publish (issue 7) ---
        // --- gc, retention (issue 8) ---
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
