package dev.akua.registry.feature.mirror;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.PullThrough;
import dev.akua.registry.mirror.BlobDelivery;
import dev.akua.registry.mirror.PullThroughCache;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The registry's {@link PullThrough} hook over the mirror's {@link PullThroughCache}. The registry
 * has already authorized the pull through the access gate when these run (V2Handler), so the
 * prefix's repositories follow the same permissions as any other.
 *
 * <p>Blob misses: a {@code HEAD} asks the upstream for the size ({@code HEAD}) without fetching; a
 * range request waits for the whole blob to be stored and lets the registry serve the range; a
 * plain {@code GET} streams the blob as it arrives (distribution-spec end-2 headers:
 * {@code Docker-Content-Digest}, {@code Content-Length} when the upstream declared one). If the
 * upstream fails or the bytes do not hash to the digest, the response is broken off short of its
 * length: a client never receives a whole body of wrong content.
 */
final class MirrorPullThrough implements PullThrough {
    private static final int BUFFER = 256 * 1024;
    private final PullThroughCache cache;

    MirrorPullThrough(PullThroughCache cache) {
        this.cache = cache;
    }

    @Override
    public boolean handles(RepositoryName repository) {
        return cache.handles(repository);
    }

    @Override
    public void prepareManifest(Caller caller, RepositoryName repository, Reference reference) {
        cache.prepareManifest(repository, reference);
    }

    /** {@code tags/list} under the prefix lists the upstream's tags (with the cached ones) while it answers. */
    @Override
    public Optional<List<Tag>> tags(Caller caller, RepositoryName repository) {
        return cache.tags(repository);
    }

    @Override
    public boolean serveMissingBlob(Caller caller, RepositoryName repository, Digest digest, ServerRequest req, ServerResponse res) {
        String method = req.prologue().method().text();
        if (method.equals("HEAD")) {
            OptionalLong size = cache.blobSize(repository, digest);
            if (size.isEmpty()) {
                return false;
            }
            headers(res, digest);
            if (size.getAsLong() >= 0) {
                res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(size.getAsLong()));
            }
            res.status(Status.OK_200);
            res.send();
            return true;
        }
        if (req.headers().contains(HeaderNames.RANGE)) {
            cache.fetchBlob(repository, digest);   // then storage answers the range (206/416)
            return false;
        }
        Optional<BlobDelivery> delivery = cache.openBlob(repository, digest);
        if (delivery.isEmpty()) {
            return false;                          // stored meanwhile, or unknown upstream too (404)
        }
        stream(res, delivery.get());
        return true;
    }

    private static void headers(ServerResponse res, Digest digest) {
        res.header(HeaderNames.create("Docker-Content-Digest"), digest.toString());
        res.header(HeaderNames.ETAG, "\"" + digest + "\"");
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
    }

    private static void stream(ServerResponse res, BlobDelivery delivery) {
        byte[] buf = new byte[BUFFER];
        InputStream in = delivery.body();
        try {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                // nothing is committed yet: a clean error answer (the fetch failed, or its digest did not match)
                throw OciException.of(ErrorCode.UNAVAILABLE, "pull-through of " + delivery.digest() + " failed: " + e.getMessage())
                        .withCause(e);
            }
            headers(res, delivery.digest());
            delivery.size().ifPresent(size -> res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(size)));
            OutputStream out = res.outputStream();
            try {
                if (n > 0) {
                    out.write(buf, 0, n);
                    out.flush();       // headers and the first bytes go out: a later failure can only cut the body
                }
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                out.close();
            } catch (IOException e) {
                // The body is incomplete. The stream is deliberately not closed (closing would end a
                // chunked body normally); the exception makes Helidon drop the connection, so the client
                // sees a body short of its Content-Length, or without its last chunk.
                throw OciException.of(ErrorCode.UNAVAILABLE, "pull-through of " + delivery.digest() + " broke off: " + e.getMessage())
                        .withCause(e);
            }
        } finally {
            try {
                delivery.close();
            } catch (IOException e) {
                // the spool reader only
            }
        }
    }
}
