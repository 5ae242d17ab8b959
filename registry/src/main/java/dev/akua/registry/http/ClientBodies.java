package dev.akua.registry.http;

import dev.akua.registry.storage.upload.ClientBodyException;
import io.helidon.webserver.http.ServerRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Request bodies, with failures to read them (client hung up, broken chunked framing) marked as the
 * client's, so they become a 4xx rather than a storage error.
 */
public final class ClientBodies {
    private ClientBodies() {
    }

    public static InputStream of(ServerRequest req) {
        InputStream raw;
        try {
            raw = req.content().inputStream();
        } catch (RuntimeException e) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new ClientBodyException("request body unreadable: " + e.getMessage(), e);
                }
            };
        }
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException | RuntimeException e) {
                    throw new ClientBodyException("request body ended: " + e.getMessage(), e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    throw new ClientBodyException("request body ended: " + e.getMessage(), e);
                }
            }
        };
    }

    /** True when the request announces a body (a non-zero Content-Length or chunked transfer). */
    public static boolean hasBody(ServerRequest req) {
        var length = req.headers().contentLength();
        if (length.isPresent()) {
            return length.getAsLong() > 0;
        }
        return req.headers().first(io.helidon.http.HeaderNames.TRANSFER_ENCODING)
                .map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("chunked")).orElse(false);
    }
}
