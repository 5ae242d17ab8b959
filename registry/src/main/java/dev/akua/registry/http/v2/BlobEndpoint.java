package dev.akua.registry.http.v2;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.http.ByteRange;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.blob.BlobInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code /v2/<name>/blobs/<digest>}: GET/HEAD (end-2) with single-range requests (RFC 9110 §14;
 * 206/416), DELETE (end-10). Bytes stream from storage; nothing is buffered whole.
 */
final class BlobEndpoint {
    private static final int COPY_BUFFER = 1024 * 1024;
    private static final long MAP_WINDOW = 8L * 1024 * 1024;
    private final V2Context ctx;

    BlobEndpoint(V2Context ctx) {
        this.ctx = ctx;
    }

    void get(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo, Digest digest) {
        if (!ctx.storage().links().isReadable(repo, digest)) {
            var source = ctx.pullThrough(repo);
            if (source.isPresent() && source.get().serveMissingBlob(caller, repo, digest, req, res)) {
                return;
            }
            if (!ctx.storage().links().isReadable(repo, digest)) {
                throw unknown(digest);
            }
        }
        BlobInfo info = ctx.storage().blobs().stat(digest).orElseThrow(() -> unknown(digest));
        String etag = "\"" + digest + "\"";
        res.header(Responses.DOCKER_CONTENT_DIGEST, digest.toString());
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        // Content-addressed: the bytes behind this URL never change.
        res.header(HeaderNames.CACHE_CONTROL, "max-age=31536000");
        if (Responses.notModified(req, etag)) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return;
        }
        if (!Responses.isHead(req)) {
            Optional<java.net.URI> redirect = ctx.storage().blobs().redirect(digest);
            if (redirect.isPresent()) {
                // distribution-spec "Pulling blobs": a 307 to where the bytes are (a presigned object-store
                // URL, valid for a limited time, so the redirect itself must not be cached)
                res.status(Status.TEMPORARY_REDIRECT_307);
                res.header(HeaderNames.LOCATION, redirect.get().toString());
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                Responses.sendEmpty(res);
                return;
            }
        }
        long offset = 0;
        long length = info.size();
        ByteRange.Outcome range = ByteRange.resolve(req.headers().first(HeaderNames.RANGE), info.size());
        switch (range) {
            case ByteRange.Unsatisfiable u -> {
                throw OciException.of(ErrorCode.SIZE_INVALID, "requested range not satisfiable for a blob of "
                        + info.size() + " bytes").withStatus(416).withHeader("Content-Range", "bytes */" + info.size());
            }
            case ByteRange.Partial p -> {
                res.status(Status.PARTIAL_CONTENT_206);
                res.header(HeaderNames.CONTENT_RANGE, p.range().contentRange(info.size()));
                offset = p.range().first();
                length = p.range().length();
            }
            case ByteRange.Whole w -> {
            }
        }
        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(length));
        if (Responses.isHead(req)) {
            res.send();
            return;
        }
        stream(res, digest, offset, length);
    }

    void delete(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo, Digest digest) {
        if (!ctx.deleteEnabled()) {
            throw OciException.of(ErrorCode.UNSUPPORTED, "deletion is disabled on this registry");
        }
        if (!ctx.storage().links().unlink(repo, digest)) {
            throw unknown(digest);
        }
        ctx.notify(l -> l.blobDeleted(caller, repo, digest));
        res.status(Status.ACCEPTED_202);
        Responses.sendEmpty(res);
    }

    private void stream(ServerResponse res, Digest digest, long offset, long length) {
        Optional<Path> local = ctx.storage().blobs().localFile(digest);
        try {
            if (local.isPresent()) {
                streamFile(res, local.get(), offset, length, digest);
            } else {
                try (InputStream in = ctx.storage().blobs().open(digest, offset); OutputStream out = res.outputStream()) {
                    byte[] buf = new byte[COPY_BUFFER];
                    long remaining = length;
                    while (remaining > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                        if (n < 0) {
                            throw new IOException("blob " + digest + " ended early");
                        }
                        out.write(buf, 0, n);
                        remaining -= n;
                    }
                }
            }
        } catch (IOException e) {
            if (!res.isSent()) {
                throw StorageFailures.unavailable("reading blob " + digest, e);
            }
            // The client went away or storage failed mid-stream; the connection is closed short,
            // which the client detects by the Content-Length it was promised.
        }
    }

    /**
     * Local blobs are read through a memory mapping, one window at a time: one copy from the page
     * cache into the send buffer and no read syscalls, where a channel read copies twice. Mapped
     * pages are page cache shared with every other reader, not memory of this process. Blobs are
     * immutable once committed (never truncated; a delete only unlinks), so a mapping stays valid
     * while it is read.
     */
    private static void streamFile(ServerResponse res, Path file, long offset, long length, Digest digest) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw unknown(digest);
        }
        try (ch; OutputStream out = res.outputStream()) {
            if (ch.size() < offset + length) {
                throw new IOException("blob " + digest + " is shorter than its recorded size");
            }
            byte[] buf = new byte[COPY_BUFFER];
            long position = offset;
            long end = offset + length;
            while (position < end) {
                long window = Math.min(MAP_WINDOW, end - position);
                java.nio.MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, position, window);
                while (mapped.hasRemaining()) {
                    int n = Math.min(buf.length, mapped.remaining());
                    mapped.get(buf, 0, n);
                    out.write(buf, 0, n);
                }
                position += window;
            }
        }
    }

    private static OciException unknown(Digest digest) {
        return OciException.of(ErrorCode.BLOB_UNKNOWN, "blob unknown: " + digest, java.util.Map.of("digest", digest.toString()));
    }
}
