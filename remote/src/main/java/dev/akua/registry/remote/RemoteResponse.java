package dev.akua.registry.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A successful (2xx) or not-modified (304) response. The body streams through the size cap and
 * length check of the request; close the response (or its body) when done. A {@link RemoteException}
 * thrown while reading the body means the bytes read so far must be discarded.
 */
public final class RemoteResponse implements AutoCloseable {
    private final int status;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final BoundedBody body;

    RemoteResponse(int status, URI uri, Map<String, List<String>> headers, BoundedBody body) {
        this.status = status;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** True for a 304 answer to a conditional request: the cached copy is still current. */
    public boolean notModified() {
        return status == 304;
    }

    /** The URI that finally answered, after redirects. */
    public URI uri() {
        return uri;
    }

    /** First value of a response header; names are case-insensitive. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** All values of a response header; names are case-insensitive. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** All response headers, names lower-case, values in arrival order (bounded by the client). */
    public Map<String, List<String>> headerMap() {
        return headers;
    }

    public Optional<String> etag() {
        return header("etag");
    }

    public Optional<String> lastModified() {
        return header("last-modified");
    }

    public Optional<String> contentType() {
        return header("content-type");
    }

    /** The declared Content-Length, if the peer sent one. */
    public OptionalLong contentLength() {
        return header("content-length").map(v -> {
            try {
                return OptionalLong.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }

    /** The body stream (empty for 304 and HEAD). Reading it enforces the cap, the declared length and the deadline. */
    public InputStream body() {
        return body;
    }

    /** Reads the whole (capped) body; for small documents only, large ones should stream {@link #body()}. */
    public byte[] bodyBytes() throws IOException {
        return body.readAllBytes();
    }

    @Override
    public void close() {
        body.close();
    }
}
