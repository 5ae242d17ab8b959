package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * A blob the pull-through cache is fetching, as one client receives it: the bytes as they arrive
 * from the upstream, except that the last of them are held back until the whole blob hashed to its
 * digest and was stored. A client therefore never receives a complete body of wrong content: when
 * verification or the upstream fails, {@link #body()} fails and the response ends short of its
 * {@code Content-Length} (or without the closing chunk).
 */
public final class BlobDelivery implements AutoCloseable {
    private final Digest digest;
    private final long size;
    private final InputStream body;

    BlobDelivery(Digest digest, long size, InputStream body) {
        this.digest = digest;
        this.size = size;
        this.body = body;
    }

    public Digest digest() {
        return digest;
    }

    /** The size the upstream declared, if it did. */
    public OptionalLong size() {
        return size >= 0 ? OptionalLong.of(size) : OptionalLong.empty();
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
