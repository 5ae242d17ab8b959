package dev.akua.registry.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;

/**
 * The one way this project reads remote data that it does not control (Helm repositories,
 * chart archives, upstream registries). Remote data is hostile (ARCHITECTURE.md rule 8), so every
 * fetch is:
 * <ul>
 *   <li>address-checked on every connection, redirects included ({@link AddressPolicy}, {@link PeerGuard});</li>
 *   <li>redirect-limited, each hop re-checked for scheme (http/https only, never https → http);</li>
 *   <li>credential-scoped: {@link RemoteCredentials} reach the first URI's origin only;</li>
 *   <li>time-bounded (connect, per read, whole fetch) and size-capped while streaming;</li>
 *   <li>fail closed: 404, 429, 5xx, any other non-2xx, truncation and timeouts are typed
 *       {@link RemoteException}s; there is no retry.</li>
 * </ul>
 * Thread-safe; one instance per configuration, created by the composition root.
 */
public final class RemoteClient implements AutoCloseable {
    private static final int MAX_KEPT_HEADER_VALUES = 64;

    private final RemoteConfig config;
    private final WebClient client;

    private RemoteClient(RemoteConfig config) {
        this.config = config;
        PeerGuard guard = new PeerGuard(config.addressPolicy(), config.hostResolver());
        this.client = WebClient.builder()
                .dnsResolver(guard)
                .connectionListener(guard)
                .proxy(Proxy.noProxy())           // never tunnel through an environment proxy: the guard must see the peer
                .followRedirects(false)           // redirects are followed here, hop by hop, re-checked
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .shareConnectionCache(false)      // no connection shared with other clients or policies
                .servicesDiscoverServices(false)
                .sendExpectContinue(false)
                .build();
    }

    public static RemoteClient create(RemoteConfig config) {
        return new RemoteClient(Objects.requireNonNull(config, "config"));
    }

    public RemoteConfig config() {
        return config;
    }

    /**
     * Performs the request, following up to {@link RemoteConfig#maxRedirects()} redirects.
     *
     * @return a 2xx response, or a 304 when the request carried validators and the peer says the copy is current
     * @throws RemoteException for everything else; no partial result is ever returned
     */
    public RemoteResponse fetch(RemoteRequest request) throws RemoteException {
        Objects.requireNonNull(request, "request");
        long start = System.nanoTime();
        long deadline = start + config.totalTimeout().toNanos();
        long cap = request.maxBodyBytes() > 0 ? request.maxBodyBytes() : config.maxBodyBytes();
        URI current = request.uri();
        checkScheme(current, null);
        String credentialOrigin = origin(current);
        RemoteRequest effective = request;
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new RemoteException(RemoteException.Kind.TIMEOUT, current, "fetch deadline passed before requesting " + current);
            }
            HttpClientResponse response = send(effective, current, credentialOrigin, remaining);
            int status = response.status().code();
            if (isRedirect(status)) {
                String location = response.headers().first(HeaderNames.LOCATION).orElse(null);
                response.close();
                if (hop >= config.maxRedirects()) {
                    throw new RemoteException(RemoteException.Kind.TOO_MANY_REDIRECTS, current,
                            "more than " + config.maxRedirects() + " redirects, last from " + current);
                }
                URI next = resolveLocation(current, location);
                checkScheme(next, current);
                current = next;
                if (effective.method().equals("POST") && status != 307 && status != 308) {
                    effective = effective.asGet();
                }
                continue;
            }
            Map<String, List<String>> headers = headers(response);
            if (status == 304 && (request.ifNoneMatch() != null || request.ifModifiedSince() != null)) {
                response.close();
                return new RemoteResponse(status, current, headers,
                        new BoundedBody(java.io.InputStream.nullInputStream(), current, cap, -1, false, deadline, () -> { }));
            }
            if (status < 200 || status > 299) {
                response.close();
                throw Failures.status(current, status, headers);
            }
            long declared = declaredLength(headers, current);
            if (declared > cap) {
                response.close();
                throw new RemoteException(RemoteException.Kind.TOO_LARGE, current,
                        current + " declares " + declared + " bytes, over the limit of " + cap);
            }
            boolean bodyless = effective.method().equals("HEAD") || status == 204;
            java.io.InputStream raw;
            try {
                raw = bodyless ? java.io.InputStream.nullInputStream() : response.inputStream();
            } catch (RuntimeException e) {
                response.close();
                throw Failures.midBody(current, e);
            }
            // A body with neither Content-Length nor chunked framing ends when the peer closes (RFC 9112 §6.3);
            // Helidon reports that end as "insufficient data", which is then the normal end of the body.
            boolean closeDelimited = declared < 0 && headers.getOrDefault("transfer-encoding", List.of()).stream()
                    .noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
            BoundedBody body = new BoundedBody(raw, current, cap, bodyless ? -1 : declared, closeDelimited, deadline, response::close);
            return new RemoteResponse(status, current, headers, body);
        }
    }

    private HttpClientResponse send(RemoteRequest request, URI uri, String credentialOrigin, long remainingNanos)
            throws RemoteException {
        HttpClientRequest http = client.method(Method.create(request.method()))
                .uri(uri)
                .skipUriEncoding(true)            // the URI is already in its encoded (wire) form
                .followRedirects(false)
                .readTimeout(min(config.readTimeout(), Duration.ofNanos(remainingNanos)));
        http.header(HeaderNames.USER_AGENT, config.userAgent());
        // Digests are computed over the bytes as stored, so no content coding may be applied in transit.
        http.header(HeaderNames.ACCEPT_ENCODING, "identity");
        for (RemoteRequest.Header header : request.headers()) {
            http.header(HeaderNames.create(header.name()), header.value());
        }
        if (request.credentials() != null && origin(uri).equals(credentialOrigin)) {
            http.header(HeaderNames.AUTHORIZATION, request.credentials().authorization());
        }
        if (request.ifNoneMatch() != null) {
            http.header(HeaderNames.IF_NONE_MATCH, request.ifNoneMatch());
        }
        if (request.ifModifiedSince() != null) {
            http.header(HeaderNames.IF_MODIFIED_SINCE, request.ifModifiedSince());
        }
        try {
            return request.body() != null ? http.submit(request.body()) : http.request();
        } catch (RuntimeException e) {
            throw Failures.connecting(uri, e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI resolveLocation(URI current, String location) throws RemoteException {
        if (location == null || location.isBlank() || location.length() > 8192) {
            throw new RemoteException(RemoteException.Kind.TOO_MANY_REDIRECTS, current, "redirect from " + current + " without a usable Location");
        }
        try {
            URI next = current.resolve(new URI(location.trim()));
            checkScheme(next, current);
            if (next.getHost() == null) {
                throw new URISyntaxException(location, "no host");
            }
            if (next.getRawUserInfo() != null) {
                throw new URISyntaxException(location, "user info in a redirect target");
            }
            return next;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RemoteException(RemoteException.Kind.TOO_MANY_REDIRECTS, current,
                    "redirect from " + current + " to an unusable Location", e);
        }
    }

    static void checkScheme(URI target, URI from) throws RemoteException {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RemoteException(RemoteException.Kind.SCHEME_REFUSED, target, "only http and https are fetched, not " + target);
        }
        if (from != null && "https".equalsIgnoreCase(from.getScheme()) && scheme.equals("http")) {
            throw new RemoteException(RemoteException.Kind.SCHEME_REFUSED, target,
                    "refusing redirect from https to plain http: " + from + " -> " + target);
        }
    }

    /** scheme://host:port with the default port filled in, the unit credentials are scoped to. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static long declaredLength(Map<String, List<String>> headers, URI uri) throws RemoteException {
        List<String> values = headers.get("content-length");
        if (values == null || values.isEmpty()) {
            return -1;
        }
        try {
            long value = Long.parseLong(values.getFirst().trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new RemoteException(RemoteException.Kind.TRUNCATED, uri, "invalid Content-Length from " + uri);
        }
    }

    private static Map<String, List<String>> headers(HttpClientResponse response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        int kept = 0;
        for (Header header : response.headers()) {
            List<String> values = out.computeIfAbsent(header.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            for (String value : header.allValues()) {
                if (kept++ < MAX_KEPT_HEADER_VALUES) {
                    values.add(value);
                }
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    private static Duration min(Duration a, Duration b) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        return m.toMillis() < 1 ? Duration.ofMillis(1) : m;
    }

    @Override
    public void close() {
        // The WebClient holds no resources beyond its private connection cache, released with it.
    }
}
