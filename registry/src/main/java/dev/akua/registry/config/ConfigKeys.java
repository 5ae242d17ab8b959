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
        def(d, h, "http.socketReceiveBufferBytes", "4194304", "SO_RCVBUF of accepted connections (capped by net.core.rmem_max); 0 leaves it to the kernel's autotuning");
        def(d, h, "storage.driver", "filesystem", "filesystem, s3 (storage.s3.*) or inmemory");
        def(d, h, "storage.filesystem.root", "./data", "root directory of the filesystem driver");
        def(d, h, "storage.filesystem.directWrites", "true", "write uploads to disk with O_DIRECT (no page-cache copy, no large flush at the end); off where the file system refuses it, by itself");
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
        def(d, h, "lock.enabled", "true", "serve POST /api/v1/lock (lock resolution through the registry)");
        def(d, h, "lock.remote.allowLoopback", "false", "let lock resolution connect to loopback addresses (127.0.0.0/8, ::1); needed to lock against a registry on localhost");
        def(d, h, "lock.remote.allowPrivate", "false", "let lock resolution connect to private addresses (RFC 1918, 100.64.0.0/10, fc00::/7)");
        def(d, h, "lock.remote.allowedCidrs", "", "comma-separated CIDRs lock resolution may connect to although they are not public (e.g. 10.1.2.0/24)");
        def(d, h, "lock.remote.connectTimeoutSeconds", "10", "connect timeout of each upstream connection made by lock resolution");
        def(d, h, "lock.remote.readTimeoutSeconds", "30", "longest wait for any read from an upstream during lock resolution");
        def(d, h, "lock.remote.totalTimeoutSeconds", "60", "deadline of one upstream fetch (redirects and body included)");
        def(d, h, "lock.remote.maxRedirects", "5", "redirect hops lock resolution follows per fetch (0-20)");
        def(d, h, "lock.helm.maxIndexBytes", "67108864", "largest Helm repository index.yaml lock resolution reads");
        def(d, h, "lock.helm.maxChartBytes", "33554432", "largest Helm chart archive (.tgz) lock resolution downloads");
        def(d, h, "lock.helm.indexRevalidateSeconds", "60", "seconds a cached index.yaml is used before it is revalidated (ETag/Last-Modified)");
        def(d, h, "lock.api.maxRequestBytes", "1048576", "largest POST /api/v1/lock body (akua.toml + akua.lock + key, JSON)");
        def(d, h, "lock.api.maxConcurrent", "4", "lock resolutions the API runs at once; more are refused with 429");
        def(d, h, "lock.trustedKeys", "", "comma-separated cosign public key files (PEM) that verify OCI dependency signatures when a workspace names no [signing].cosign_public_key");
        // --- helm (issue 6) ---
        def(d, h, "helm.enabled", "false", "serve Helm repositories: /helm/<upstream>/…, /helm/hosted/<namespace>/…, OCI view helm/<upstream>/<chart> (docs/helm.md)");
        def(d, h, "helm.indexRevalidateSeconds", "300", "seconds an upstream index.yaml is served before it is revalidated (ETag/Last-Modified)");
        def(d, h, "helm.maxIndexBytes", "67108864", "largest upstream index.yaml accepted");
        def(d, h, "helm.maxIndexVersions", "500000", "most chart versions accepted in one upstream index.yaml");
        def(d, h, "helm.maxChartBytes", "33554432", "largest chart archive (.tgz) fetched or uploaded");
        def(d, h, "helm.allowOverwrite", "false", "let a hosted upload replace an existing chart version (else 409)");
        def(d, h, "helm.hostedReloadSeconds", "60", "seconds before a hosted index re-reads its entries (changes made by other replicas)");
        def(d, h, "helm.mirrorIntervalSeconds", "0", "run the helm.mirrors rules every N seconds, 0 = only by the helm-mirror command");
        def(d, h, "helm.spoolDir", "", "local scratch directory for archives being checked (default: <tmp>/akua-registry-helm)");
        def(d, h, "helm.remote.allowLoopback", "false", "let upstream fetches reach loopback addresses (tests, local mirrors)");
        def(d, h, "helm.remote.allowPrivate", "false", "let upstream fetches reach private (RFC 1918, ULA) addresses");
        def(d, h, "helm.remote.allowedCidrs", "", "comma-separated CIDRs upstream fetches may reach besides public addresses");
        def(d, h, "helm.remote.timeoutSeconds", "60", "deadline of one upstream fetch, redirects and body included");
        // --- publish (issue 7) ---
        def(d, h, "publish.enabled", "true", "the publish API (POST …/publish?as=helm-chart|oci-bundle), package metadata API and akua package validation");
        def(d, h, "publish.maxArchiveBytes", "67108864", "largest rendered-manifests tar.gz accepted by the publish API (larger → 413)");
        def(d, h, "publish.maxUnpackedBytes", "67108864", "most bytes that tar.gz may expand to; a gzip bomb is stopped here while inflating");
        def(d, h, "publish.maxFileBytes", "4194304", "largest single manifest file");
        def(d, h, "publish.maxFiles", "2000", "most entries (and manifest files) in one publish archive");
        def(d, h, "publish.maxYamlDepth", "100", "deepest YAML nesting accepted in a manifest");
        def(d, h, "publish.maxConcurrent", "2", "publish requests built at once (each holds its manifests in memory); more wait up to 30 s, then 429");
        def(d, h, "publish.packages.maxArchiveBytes", "268435456", "largest akua package layer validated on push (larger → refused, 413)");
        def(d, h, "publish.packages.maxUnpackedBytes", "1073741824", "most bytes an akua package layer may expand to");
        def(d, h, "publish.packages.maxFileBytes", "268435456", "largest single file in an akua package");
        def(d, h, "publish.packages.maxEntries", "20000", "most entries in an akua package archive");
        def(d, h, "publish.packages.maxAkuaTomlBytes", "1048576", "largest akua.toml read");
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
        def(d, h, "mirror.spoolDir", "", "directory for blobs on their way from an upstream to pulling clients (default: <storage.filesystem.root>/_mirror/spool, or a temporary directory)");
        def(d, h, "mirror.maxBlobBytes", "17179869184", "largest blob the mirror fetches from an upstream or imports from an archive");
        def(d, h, "mirror.upstreamRetryAfterSeconds", "30", "after an upstream failed to answer, seconds pulls are served from the cache without asking it again");
        def(d, h, "mirror.scheduler.enabled", "true", "run mirror rules that have an intervalSeconds on their schedule");
        def(d, h, "mirror.remote.allowLoopback", "false", "let the mirror connect to loopback upstreams (127.0.0.0/8, ::1)");
        def(d, h, "mirror.remote.allowPrivate", "false", "let the mirror connect to private upstreams (RFC 1918, 100.64.0.0/10, fc00::/7)");
        def(d, h, "mirror.remote.allowedCidrs", "", "comma-separated CIDRs the mirror may connect to although they are not public (e.g. 10.1.2.0/24)");
        def(d, h, "mirror.remote.connectTimeoutSeconds", "10", "connect timeout of each upstream connection made by the mirror");
        def(d, h, "mirror.remote.readTimeoutSeconds", "60", "longest wait for any read from an upstream");
        def(d, h, "mirror.remote.totalTimeoutSeconds", "3600", "deadline of one upstream fetch, body included (bounds the largest blob's transfer time)");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
        DESCRIPTIONS = java.util.Collections.unmodifiableMap(h);

        Map<String, String> s = new LinkedHashMap<>();
        // --- auth (issue 3) ---
        s.put("auth.groups", "groups: name → [members] (alice, user:alice, robot:ci)");
        s.put("auth.admins", "subjects with every right everywhere: [user:root, group:ops]");
        s.put("auth.permissions", "rules: [{repository: <glob>, grants: {<subject>: [pull, push, delete, sign, admin]}}]; most specific glob decides");
        s.put("auth.immutableTags", "rules: [{repository: <glob>, tags: semver | none | <regex>}]; default semver everywhere, [] for none");
        // --- signing (issue 4) ---
        s.put("signing", "trust policies (keys, keyless identities, enforce: pull), verification limits, server-side signing keys; see docs/signing.md");
        // --- helm (issue 6) ---
        s.put("helm.upstreams", "proxied classic Helm repositories: list of {name, url, username, password|passwordEnv, token|tokenEnv, allowedChartHosts}");
        s.put("helm.hosted", "hosted Helm repositories: list of {namespace} (an OCI repository prefix)");
        s.put("helm.mirrors", "charts to copy into the store: list of {upstream, chart|charts, versions: all | SemVer range | pattern}");
        // --- lock (issue 5) ---
        s.put("lock.registries", "credentials for OCI registries dependencies are locked against: list of {host, username + passwordEnv|passwordFile, or tokenEnv|tokenFile}; see docs/lock.md");
        // --- publish (issue 7) ---
        s.put("publish.policies", "per-repository publishing policies: signing key, signature, provenance, akua package validation; see docs/publishing.md");
        // --- gc, retention (issue 8) ---
        s.put("retention.rules", "retention rules: [{repositories: glob, keepLast: N, keepNewerThan: 30d, keepMatching: regex}]");
        s.put("retention.protect", "tags retention never removes besides immutable ones: [{repositories: glob, tags: semver|regex}]");
        // --- mirror (issue 9) ---
        s.put("mirror.upstreams", "upstream registries (url, credentials, local prefix, pull-through, tag TTL); see docs/mirror.md");
        s.put("mirror.rules", "mirroring rules (upstream, repository patterns, tag patterns and semver range, onlySigned, schedule); see docs/mirror.md");
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
