package dev.akua.registry.remote.oci;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteCredentials;
import dev.akua.registry.remote.RemoteException;
import dev.akua.registry.remote.RemoteRequest;
import dev.akua.registry.remote.RemoteResponse;

/**
 * A read client for one OCI registry (distribution-spec v1.1 pull and discovery endpoints), shared
 * by lock resolution and the mirror: manifests (GET and HEAD), blobs (digest-verified while
 * streaming), tags and the catalog (following {@code Link} pagination, capped), and the referrers
 * API. Every request goes through {@link RemoteClient}, so the address policy, redirect checks,
 * size caps and deadlines hold for the registry, its token endpoint and any blob redirect.
 *
 * <p>Authentication follows the registry's challenge, as Docker clients do: nothing (or a personal
 * token) on the first attempt; on {@code 401} with {@code WWW-Authenticate: Basic}, the configured
 * user name and password; on {@code Bearer realm=…,service=…,scope=…}, a token fetched from the realm
 * (distribution token spec: {@code GET realm?service=&scope=}, with the login as Basic or Bearer)
 * and cached per scope until its {@code expires_in}. A second {@code 401} is final. Credentials are
 * never sent over plain http to a realm when the registry itself is https.
 *
 * <p>Thread-safe; one instance per registry and login.
 */
public final class RegistryClient {
    /** The manifest size the spec asks registries to accept ("at least 4 MB"); larger ones are refused. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Manifest types asked for; a registry converting to schema 1 for clients that accept nothing is avoided. */
    public static final List<String> MANIFEST_TYPES = List.of(
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");
    private static final String MANIFEST_ACCEPT = String.join(", ", MANIFEST_TYPES);
    /** distribution-spec name grammar (path components of lower-case alphanumerics and separators). */
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final int MAX_LIST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_TOKEN_BYTES = 64 * 1024;
    private static final int MAX_CACHED_TOKENS = 1024;
    private static final int PAGE = 1000;
    private static final long DEFAULT_TOKEN_SECONDS = 60;   // docker token spec default for expires_in

    private record CachedToken(RemoteCredentials credentials, long expiresAtNanos) {
        boolean valid() {
            return System.nanoTime() - expiresAtNanos < 0;
        }
    }

    private final RemoteClient remote;
    private final URI base;
    private final RegistryLogin login;
    private final JsonMapper json;
    private final ConcurrentHashMap<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private volatile boolean basicRequested;

    private RegistryClient(RemoteClient remote, URI base, RegistryLogin login) {
        this.remote = remote;
        this.base = base;
        this.login = login;
        this.json = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();
    }

    /**
     * @param base  {@code http(s)://host[:port]}, without a path: the API lives under {@code /v2/}
     * @param login how to authenticate when the registry asks
     */
    public static RegistryClient create(RemoteClient remote, URI base, RegistryLogin login) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null || base.getRawUserInfo() != null
                || (base.getRawPath() != null && !base.getRawPath().isEmpty() && !base.getRawPath().equals("/"))
                || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("a registry base is http(s)://host[:port] without path or credentials: " + base);
        }
        String normal = scheme + "://" + base.getRawAuthority();
        return new RegistryClient(remote, URI.create(normal), login);
    }

    /** {@code http(s)://host[:port]}. */
    public URI base() {
        return base;
    }

    /** {@code host[:port]}, as image references name the registry. */
    public String host() {
        return base.getRawAuthority();
    }

    /** The manifest a tag or digest names; empty when the registry answers 404. */
    public Optional<ManifestResponse> manifest(String repository, String reference) throws IOException {
        RemoteRequest request = RemoteRequest.get(uri(repository, "/manifests/" + checkReference(reference)))
                .withHeader("Accept", MANIFEST_ACCEPT).withMaxBodyBytes(MAX_MANIFEST_BYTES);
        try (RemoteResponse response = send(request, pullScope(repository))) {
            byte[] bytes = response.bodyBytes();
            return Optional.of(new ManifestResponse(bytes, essence(response.contentType().orElse(null)),
                    response.header("docker-content-digest").filter(ContentDigest::isDigest).orElse(null)));
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A {@code HEAD} of a manifest; empty on 404. */
    public Optional<ManifestHead> headManifest(String repository, String reference) throws IOException {
        RemoteRequest request = RemoteRequest.head(uri(repository, "/manifests/" + checkReference(reference)))
                .withHeader("Accept", MANIFEST_ACCEPT).withMaxBodyBytes(MAX_MANIFEST_BYTES);
        try (RemoteResponse response = send(request, pullScope(repository))) {
            return Optional.of(new ManifestHead(response.header("docker-content-digest").filter(ContentDigest::isDigest).orElse(null),
                    essence(response.contentType().orElse(null)), response.contentLength().orElse(-1)));
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Opens a blob (following redirects to storage, where credentials are not forwarded); empty on 404.
     * The caller reads it to the end, which verifies the digest, and closes it.
     *
     * @param maxBytes the cap; pass the descriptor's size when it is known
     */
    public Optional<BlobResponse> blob(String repository, String digest, long maxBytes) throws IOException {
        ContentDigest.check(digest);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        RemoteRequest request = RemoteRequest.get(uri(repository, "/blobs/" + digest)).withMaxBodyBytes(maxBytes);
        try {
            return Optional.of(new BlobResponse(send(request, pullScope(repository)), digest));
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Reads a small blob whole and checks its digest (configs, signature payloads). */
    public Optional<byte[]> smallBlob(String repository, String digest, int maxBytes) throws IOException {
        Optional<BlobResponse> response = blob(repository, digest, maxBytes);
        if (response.isEmpty()) {
            return Optional.empty();
        }
        try (BlobResponse blob = response.get()) {
            return Optional.of(blob.body().readAllBytes());
        }
    }

    /** The size of a blob by {@code HEAD}; empty on 404, -1 when no length was declared. */
    public OptionalLong headBlob(String repository, String digest) throws IOException {
        ContentDigest.check(digest);
        RemoteRequest request = RemoteRequest.head(uri(repository, "/blobs/" + digest));
        try (RemoteResponse response = send(request, pullScope(repository))) {
            return OptionalLong.of(response.contentLength().orElse(-1));
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /** All tags (following {@code Link} pages), at most {@code max}; more is an error. An unknown repository has none. */
    public List<String> tags(String repository, int max) throws IOException {
        try {
            return list(uri(repository, "/tags/list?n=" + PAGE), "tags", max, pullScope(repository));
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    /** Repository names from {@code /v2/_catalog} (following pages), at most {@code max}; more is an error. */
    public List<String> catalog(int max) throws IOException {
        List<String> names = list(URI.create(base + "/v2/_catalog?n=" + PAGE), "repositories", max, "registry:catalog:*");
        return names.stream().filter(n -> REPOSITORY.matcher(n).matches()).toList();
    }

    /**
     * The referrers index of a manifest (OCI 1.1 {@code GET /v2/<name>/referrers/<digest>}), raw; empty
     * when the registry does not offer the API (404: distribution-spec forbids a 404 from registries
     * that do), so the caller falls back to the referrers tag schema ({@code sha256-<hex>}).
     */
    public Optional<byte[]> referrers(String repository, String digest) throws IOException {
        ContentDigest.check(digest);
        RemoteRequest request = RemoteRequest.get(uri(repository, "/referrers/" + digest))
                .withHeader("Accept", "application/vnd.oci.image.index.v1+json").withMaxBodyBytes(MAX_LIST_BYTES);
        try (RemoteResponse response = send(request, pullScope(repository))) {
            return Optional.of(response.bodyBytes());
        } catch (RemoteException e) {
            if (e.kind() == RemoteException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<String> list(URI first, String field, int max, String scope) throws IOException {
        List<String> out = new ArrayList<>();
        URI next = first;
        int pages = 0;
        while (next != null) {
            if (++pages > max / 10 + 10) {
                throw new IOException(first + " keeps paging (more than " + (pages - 1) + " pages)");
            }
            JsonNode body;
            String link;
            try (RemoteResponse response = send(RemoteRequest.get(next).withHeader("Accept", "application/json")
                    .withMaxBodyBytes(MAX_LIST_BYTES), scope)) {
                body = json.readTree(response.body());
                link = response.header("link").orElse(null);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IOException(next + " did not answer with a JSON list: " + e.getOriginalMessage(), e);
            } catch (RemoteException e) {
                if (pages > 1 && e.kind() == RemoteException.Kind.NOT_FOUND) {
                    // only a missing first page means "nothing there"; a page that vanishes is a broken list
                    throw new IOException("page " + pages + " of " + first + " is gone (404)", e);
                }
                throw e;
            }
            JsonNode items = body == null ? null : body.get(field);
            if (items != null && items.isArray()) {
                for (JsonNode item : items) {
                    if (item.isTextual()) {
                        if (out.size() == max) {
                            throw new IOException(first + " lists more than " + max + " " + field);
                        }
                        out.add(item.textValue());
                    }
                }
            }
            next = nextPage(link, next);
        }
        return out;
    }

    /** A {@code Link: <…>; rel="next"} target on the registry's own origin, else null. */
    static URI nextPage(String link, URI current) {
        if (link == null || link.length() > 8192) {
            return null;
        }
        int open = link.indexOf('<');
        int close = link.indexOf('>', open + 1);
        if (open < 0 || close < 0 || !link.substring(close).toLowerCase(Locale.ROOT).contains("rel=\"next\"")) {
            return null;
        }
        try {
            URI next = current.resolve(new URI(link.substring(open + 1, close)));
            boolean sameOrigin = Objects.equals(next.getScheme(), current.getScheme())
                    && Objects.equals(next.getRawAuthority(), current.getRawAuthority());
            return sameOrigin && !next.equals(current) ? next : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    // --- authentication -------------------------------------------------------------------------

    private RemoteResponse send(RemoteRequest request, String scope) throws IOException {
        RemoteCredentials first = firstAttempt(scope);
        try {
            return remote.fetch(first == null ? request : request.withCredentials(first));
        } catch (RemoteException e) {
            if (e.status().orElse(0) != 401) {
                throw e;
            }
            Challenge challenge = Challenge.parse(e.header("www-authenticate").orElse(""));
            RemoteCredentials retry;
            switch (challenge.scheme()) {
                case "bearer" -> {
                    tokens.remove(scope);
                    retry = token(challenge, scope);
                }
                case "basic" -> {
                    retry = login.basicCredentials();
                    if (retry == null || basicRequested && first != null) {
                        throw e; // no password configured, or the one sent was refused
                    }
                    basicRequested = true;
                }
                default -> throw e;
            }
            return remote.fetch(request.withCredentials(retry));
        }
    }

    private RemoteCredentials firstAttempt(String scope) {
        CachedToken cached = tokens.get(scope);
        if (cached != null && cached.valid()) {
            return cached.credentials();
        }
        if (basicRequested && login.basicCredentials() != null) {
            return login.basicCredentials();
        }
        return login.personalToken();
    }

    /** The token exchange of the distribution token spec: {@code GET realm?service=…&scope=…}. */
    private RemoteCredentials token(Challenge challenge, String scope) throws IOException {
        String realm = challenge.param("realm");
        if (realm == null || realm.isBlank()) {
            throw new IOException("registry " + host() + " sent a bearer challenge without a realm");
        }
        URI realmUri;
        try {
            realmUri = new URI(realm.trim());
        } catch (URISyntaxException e) {
            throw new IOException("registry " + host() + " sent an unusable token realm", e);
        }
        if (!realmUri.isAbsolute() || realmUri.getHost() == null) {
            throw new IOException("registry " + host() + " sent a token realm that is not an absolute URL");
        }
        RemoteCredentials credentials = login.tokenEndpointCredentials();
        if (credentials != null && "https".equalsIgnoreCase(base.getScheme()) && !"https".equalsIgnoreCase(realmUri.getScheme())) {
            throw new IOException("registry " + host() + " asks for credentials over plain http (" + realmUri.getHost() + "); refused");
        }
        StringBuilder uri = new StringBuilder(realmUri.toString());
        char sep = realmUri.getRawQuery() == null ? '?' : '&';
        String wanted = challenge.param("scope") != null ? challenge.param("scope") : scope;
        if (challenge.param("service") != null) {
            uri.append(sep).append("service=").append(URLEncoder.encode(challenge.param("service"), StandardCharsets.UTF_8));
            sep = '&';
        }
        uri.append(sep).append("scope=").append(URLEncoder.encode(wanted, StandardCharsets.UTF_8));
        RemoteRequest request = RemoteRequest.get(URI.create(uri.toString())).withHeader("Accept", "application/json")
                .withMaxBodyBytes(MAX_TOKEN_BYTES);
        if (credentials != null) {
            request = request.withCredentials(credentials);
        }
        JsonNode body;
        try (RemoteResponse response = remote.fetch(request)) {
            body = json.readTree(response.body());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("token endpoint of " + host() + " did not answer with JSON", e);
        }
        String value = body == null ? "" : body.path("token").asText("");
        if (value.isEmpty()) {
            value = body == null ? "" : body.path("access_token").asText("");
        }
        if (value.isEmpty()) {
            throw new IOException("token endpoint of " + host() + " returned no token");
        }
        RemoteCredentials bearer;
        try {
            bearer = RemoteCredentials.bearer(value);
        } catch (IllegalArgumentException e) {
            throw new IOException("token endpoint of " + host() + " returned an unusable token", e);
        }
        long seconds = body.path("expires_in").canConvertToLong() ? body.path("expires_in").asLong() : DEFAULT_TOKEN_SECONDS;
        seconds = Math.max(0, Math.min(seconds, 24 * 3600) - 5); // renew a little early
        if (tokens.size() >= MAX_CACHED_TOKENS) {
            tokens.clear();
        }
        tokens.put(scope, new CachedToken(bearer, System.nanoTime() + seconds * 1_000_000_000L));
        return bearer;
    }

    // --- URIs -----------------------------------------------------------------------------------

    private URI uri(String repository, String rest) {
        return URI.create(base + "/v2/" + checkRepository(repository) + rest);
    }

    private static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    static String checkRepository(String repository) {
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("not a repository name: " + repository);
        }
        return repository;
    }

    static String checkReference(String reference) {
        if (reference == null || !(TAG.matcher(reference).matches() || ContentDigest.isDigest(reference))) {
            throw new IllegalArgumentException("not a tag or digest: " + reference);
        }
        return reference;
    }

    private static String essence(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String value = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return value.isEmpty() ? null : value;
    }
}
