package dev.akua.registry.remote;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A remote fetch that did not produce trustworthy content. Every failure is typed so callers can
 * fail closed without parsing messages; a caller must never use a partial body after one of these.
 * It is an {@link IOException} because it is also thrown from {@link RemoteResponse#body()} reads.
 */
public final class RemoteException extends IOException {
    /** Why the fetch failed. */
    public enum Kind {
        /** The address connected to (or about to be) is not allowed by the {@link AddressPolicy}. */
        ADDRESS_REFUSED,
        /** The URI (or a redirect target) uses a scheme other than http/https, or downgrades https to http. */
        SCHEME_REFUSED,
        /** More redirects than {@link RemoteConfig#maxRedirects()}, or a redirect without a usable Location. */
        TOO_MANY_REDIRECTS,
        /** Connect, read or whole-request deadline exceeded. */
        TIMEOUT,
        /** Declared or streamed body larger than the cap of the request. */
        TOO_LARGE,
        /** The body ended before its declared length, or the framing broke mid-body. */
        TRUNCATED,
        /** 404 or 410. */
        NOT_FOUND,
        /** 429; see {@link #retryAfter()}. */
        RATE_LIMITED,
        /** 5xx. */
        UPSTREAM_ERROR,
        /** Any other non-2xx, non-304 status (401 and 403 included; see {@link #header(String)}). */
        UNEXPECTED_STATUS,
        /** Name resolution, connection or TLS failure. */
        CONNECTION_FAILED
    }

    private final Kind kind;
    private final URI uri;
    private final int status;
    private final Map<String, List<String>> headers;

    RemoteException(Kind kind, URI uri, String message) {
        this(kind, uri, -1, Map.of(), message, null);
    }

    RemoteException(Kind kind, URI uri, String message, Throwable cause) {
        this(kind, uri, -1, Map.of(), message, cause);
    }

    RemoteException(Kind kind, URI uri, int status, Map<String, List<String>> headers, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.uri = uri;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public Kind kind() {
        return kind;
    }

    /** The URI of the hop that failed (after redirects), if known. */
    public Optional<URI> uri() {
        return Optional.ofNullable(uri);
    }

    /** The HTTP status for the status kinds. */
    public OptionalInt status() {
        return status < 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** A response header of a status failure (lower-case name), e.g. {@code www-authenticate} on a 401. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The delay a 429/503 asked for with {@code Retry-After: <seconds>}, if it gave one in seconds. */
    public Optional<Duration> retryAfter() {
        return header("retry-after").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
