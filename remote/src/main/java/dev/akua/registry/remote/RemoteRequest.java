package dev.akua.registry.remote;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request to make: GET or HEAD, or a POST with a small body (protocol negotiation such as git's
 * smart-HTTP upload-pack or a token exchange, never bulk uploads). Built with {@link #get(URI)},
 * {@link #post(URI, byte[])} and the {@code with*} methods.
 *
 * @param method          {@code GET}, {@code HEAD} or {@code POST}
 * @param uri             absolute http(s) URI
 * @param headers         extra request headers (not Authorization, Host or framing headers)
 * @param credentials     sent to the origin of {@code uri} only, or null
 * @param maxBodyBytes    cap of this body; 0 means the client's default
 * @param ifNoneMatch     an ETag from an earlier response (conditional request), or null
 * @param ifModifiedSince a Last-Modified value from an earlier response, or null
 */
public record RemoteRequest(String method,
                            URI uri,
                            List<Header> headers,
                            RemoteCredentials credentials,
                            long maxBodyBytes,
                            String ifNoneMatch,
                            String ifModifiedSince,
                            byte[] body) {

    /** Largest POST body accepted: requests carry negotiation, never content. */
    public static final int MAX_REQUEST_BODY = 1024 * 1024;

    /** Headers the client owns: credentials go through {@link RemoteCredentials}, framing through the client. */
    private static final Set<String> RESERVED = Set.of("authorization", "host", "content-length",
            "transfer-encoding", "connection", "te", "upgrade", "proxy-authorization", "if-none-match", "expect",
            "if-modified-since", "accept-encoding", "user-agent");

    /**
     * A request header.
     *
     * @param name  header name
     * @param value header value
     */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
            if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                throw new IllegalArgumentException("header value contains control characters: " + name);
            }
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header is set by the client itself: " + name);
            }
        }
    }

    public RemoteRequest {
        Objects.requireNonNull(method, "method");
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            throw new IllegalArgumentException("only GET, HEAD and POST are supported: " + method);
        }
        if (method.equals("POST") != (body != null)) {
            throw new IllegalArgumentException("a POST needs a body, and only a POST has one");
        }
        if (body != null && body.length > MAX_REQUEST_BODY) {
            throw new IllegalArgumentException("request body over " + MAX_REQUEST_BODY + " bytes");
        }
        body = body == null ? null : body.clone();
        Objects.requireNonNull(uri, "uri");
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new IllegalArgumentException("request URI must be absolute with a host: " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("credentials in the URI are refused; use RemoteCredentials: "
                    + uri.getScheme() + "://" + uri.getHost());
        }
        headers = List.copyOf(headers);
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative");
        }
        checkValidator(ifNoneMatch, "ifNoneMatch");
        checkValidator(ifModifiedSince, "ifModifiedSince");
    }

    public static RemoteRequest get(URI uri) {
        return new RemoteRequest("GET", uri, List.of(), null, 0, null, null, null);
    }

    public static RemoteRequest head(URI uri) {
        return new RemoteRequest("HEAD", uri, List.of(), null, 0, null, null, null);
    }

    /** A POST of a small body; set its type with {@code withHeader("Content-Type", …)}. */
    public static RemoteRequest post(URI uri, byte[] body) {
        return new RemoteRequest("POST", uri, List.of(), null, 0, null, null, java.util.Objects.requireNonNull(body, "body"));
    }

    /** The POST body (a copy), or null. */
    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** This request turned into the GET a 301/302/303 answer to a POST asks for (RFC 9110 §15.4). */
    RemoteRequest asGet() {
        List<Header> kept = headers.stream().filter(h -> !h.name().equalsIgnoreCase("content-type")).toList();
        return new RemoteRequest("GET", uri, kept, credentials, maxBodyBytes, ifNoneMatch, ifModifiedSince, null);
    }

    public RemoteRequest withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new RemoteRequest(method, uri, more, credentials, maxBodyBytes, ifNoneMatch, ifModifiedSince, body);
    }

    public RemoteRequest withCredentials(RemoteCredentials value) {
        return new RemoteRequest(method, uri, headers, value, maxBodyBytes, ifNoneMatch, ifModifiedSince, body);
    }

    public RemoteRequest withMaxBodyBytes(long value) {
        return new RemoteRequest(method, uri, headers, credentials, value, ifNoneMatch, ifModifiedSince, body);
    }

    /** Makes the request conditional on an earlier response's validators; either may be null. */
    public RemoteRequest withValidators(String etag, String lastModified) {
        return new RemoteRequest(method, uri, headers, credentials, maxBodyBytes, etag, lastModified, body);
    }

    public Optional<RemoteCredentials> credentialsIfAny() {
        return Optional.ofNullable(credentials);
    }

    private static void checkValidator(String value, String name) {
        if (value != null && (value.isEmpty() || value.length() > 1024
                || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new IllegalArgumentException(name + " is not a usable header value");
        }
    }
}
