package dev.akua.registry.storage.upload;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.blob.BlobLinks;
import dev.akua.registry.storage.blob.BlobStore;
import dev.akua.registry.storage.driver.FileWriter;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The blob-upload state machine (distribution-spec "Pushing blobs"): start, append chunks in order,
 * complete with a digest, cancel. All state lives in storage ({@code _uploads/<id>/info} and
 * {@code data}), so an upload continues after a restart or on another replica; the running hash is a
 * per-process cache that is rebuilt from the stored bytes whenever it is missing or behind.
 *
 * <p>Bytes are hashed while they stream to storage and never held in memory. A completed upload
 * enters the content store only if its bytes hash to the digest the client named.
 */
public final class UploadStore {
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BUFFER = PipelinedCopy.BUFFER;
    private static final int STRIPES = 64;
    /** Removes the data of sessions that needed no move into the content store, after the answer. */
    private static final Executor CLEANUP = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "upload-cleanup");
        t.setDaemon(true);
        return t;
    });

    private final StorageDriver driver;
    private final BlobStore blobs;
    private final BlobLinks links;
    private final Clock clock;
    private final Cache<String, HashState> hashes;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public UploadStore(StorageDriver driver, BlobStore blobs, BlobLinks links, Clock clock) {
        this.driver = driver;
        this.blobs = blobs;
        this.links = links;
        this.clock = clock;
        this.hashes = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(1)).build();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** A running hash and how many bytes of the upload it has seen. */
    private static final class HashState {
        final MessageDigest md;
        long offset;

        HashState(MessageDigest md, long offset) {
            this.md = md;
            this.offset = offset;
        }
    }

    public UploadState start(RepositoryName repo, DigestAlgorithm algorithm) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        String info = "algorithm=" + algorithm.id() + "\nstartedAt=" + now + "\n";
        try {
            // Losing a session to a power cut only costs the client a retry; the data file is
            // created by the first chunk (a missing one means zero bytes received).
            driver.putContentRelaxed(Layout.uploadInfo(repo, id), info.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw StorageFailures.unavailable("starting an upload in " + repo, e);
        }
        hashes.put(id, new HashState(algorithm.newMessageDigest(), 0));
        return new UploadState(repo, id, 0, algorithm, now);
    }

    public UploadState status(RepositoryName repo, String id) {
        return withLock(id, () -> load(repo, id));
    }

    /**
     * Appends a chunk. With a range, its start must equal the bytes received so far, else 416 with
     * the current {@code Range}; without one (a streamed PATCH) the body is appended as is.
     */
    public UploadState append(RepositoryName repo, String id, InputStream body, ChunkRange range, long contentLength) {
        return withLock(id, () -> {
            UploadState state = load(repo, id);
            write(state, body, range, contentLength, false);
            return load(repo, id);
        });
    }

    /**
     * Closes the session: appends the optional final chunk, checks the whole upload hashes to
     * {@code expected}, moves it into the content store and links it into the repository. A digest
     * mismatch discards the upload ({@code DIGEST_INVALID}); the content store is untouched.
     */
    public Digest complete(RepositoryName repo, String id, Digest expected, InputStream body, ChunkRange range, long contentLength) {
        return withLock(id, () -> {
            UploadState state = load(repo, id);
            if (body != null) {
                write(state, body, range, contentLength, true);
                state = load(repo, id);
            } else {
                syncData(repo, id);
            }
            Digest actual = digestOf(state, expected.algorithm());
            if (!actual.equals(expected)) {
                discard(repo, id);
                throw OciException.of(ErrorCode.DIGEST_INVALID,
                        "upload content hashes to " + actual + ", not " + expected, java.util.Map.of("digest", expected.toString()));
            }
            if (blobs.stat(expected).isPresent()) {
                // A re-push of content the store has: link it and answer; the redundant copy is
                // removed after the answer (deleting hundreds of MiB takes tens of milliseconds).
                links.link(repo, expected);
                retire(repo, id);
            } else {
                blobs.adopt(Layout.uploadData(repo, id), expected);
                links.link(repo, expected);
                discard(repo, id);
            }
            return expected;
        });
    }

    public void cancel(RepositoryName repo, String id) {
        withLock(id, () -> {
            load(repo, id);
            discard(repo, id);
            return null;
        });
    }

    /** Upload sessions of a repository (for purge and tests). */
    public List<String> list(RepositoryName repo) {
        try {
            return driver.list(Layout.uploadsDir(repo)).stream()
                    .map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
        } catch (PathNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw StorageFailures.unavailable("listing uploads of " + repo, e);
        }
    }

    /**
     * @param durable whether the bytes must be on stable storage when this returns: yes before an
     *                upload is completed (it is renamed into the content store next); a PATCH need
     *                not be, since a resumed upload only trusts the bytes it finds and the digest is
     *                checked at the end anyway.
     */
    private void write(UploadState state, InputStream body, ChunkRange range, long contentLength, boolean durable) {
        if (range != null) {
            if (range.start() != state.size()) {
                throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID,
                                "chunk starts at " + range.start() + " but the upload has " + state.size() + " bytes")
                        .withStatus(416)
                        .withHeader("Range", state.rangeHeader());
            }
            if (contentLength >= 0 && contentLength != range.length()) {
                throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID,
                        "Content-Length " + contentLength + " does not match Content-Range length " + range.length());
            }
        }
        String id = state.id();
        HashState hash = hashState(state);
        String dataPath = Layout.uploadData(state.repository(), id);
        long limit = range != null ? range.length() : contentLength >= 0 ? contentLength : Long.MAX_VALUE;
        long[] written = {0};
        boolean overlong = false;
        try (FileWriter out = driver.writer(dataPath, true)) {
            PipelinedCopy.copy(body, out, hash.md, limit, n -> {
                hash.offset += n;
                written[0] += n;
            });
            if (durable) {
                out.commit();
            }
            overlong = limit != Long.MAX_VALUE && body.read() >= 0;
        } catch (IOException e) {
            // Whatever reached storage stays; the next request rebuilds the hash from it and the
            // client resumes from the offset a status request reports.
            hashes.invalidate(id);
            if (isClientSideFailure(e)) {
                throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID,
                        "upload body ended early after " + written[0] + " bytes: " + e.getMessage());
            }
            throw StorageFailures.unavailable("writing upload " + id, e);
        } catch (RuntimeException e) {
            hashes.invalidate(id);
            throw e;
        }
        if (overlong) {
            throw OciException.of(ErrorCode.SIZE_INVALID,
                    "body is longer than the " + limit + " bytes its Content-Range/Content-Length announced; the first "
                            + limit + " were kept");
        }
        if (written[0] != limit && limit != Long.MAX_VALUE) {
            throw OciException.of(ErrorCode.SIZE_INVALID,
                    "body had " + written[0] + " bytes, " + limit + " were announced");
        }
    }

    /** Errors from reading the request body are the client's; the HTTP layer wraps them so we can tell. */
    private static boolean isClientSideFailure(IOException e) {
        return e instanceof ClientBodyException;
    }

    private HashState hashState(UploadState state) {
        HashState cached = hashes.getIfPresent(state.id());
        if (cached != null && cached.offset == state.size()
                && cached.md.getAlgorithm().equals(state.algorithm().newMessageDigest().getAlgorithm())) {
            return cached;
        }
        HashState rebuilt = new HashState(state.algorithm().newMessageDigest(), 0);
        rehash(state, rebuilt.md);
        rebuilt.offset = state.size();
        hashes.put(state.id(), rebuilt);
        return rebuilt;
    }

    /** Makes the chunks received by earlier PATCHes durable before the upload is renamed into place. */
    private void syncData(RepositoryName repo, String id) {
        try (FileWriter out = driver.writer(Layout.uploadData(repo, id), true)) {
            out.commit();
        } catch (IOException e) {
            throw StorageFailures.unavailable("syncing upload " + id, e);
        }
    }

    private Digest digestOf(UploadState state, DigestAlgorithm algorithm) {
        if (algorithm == state.algorithm()) {
            HashState hash = hashState(state);
            try {
                MessageDigest copy = (MessageDigest) hash.md.clone();
                return Digest.fromHash(algorithm, copy.digest());
            } catch (CloneNotSupportedException e) {
                // fall through to a full re-read
            }
        }
        MessageDigest md = algorithm.newMessageDigest();
        rehash(state, md);
        return Digest.fromHash(algorithm, md.digest());
    }

    private void rehash(UploadState state, MessageDigest md) {
        try (InputStream in = driver.reader(Layout.uploadData(state.repository(), state.id()), 0)) {
            byte[] buf = new byte[BUFFER];
            long remaining = state.size();
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    throw new IOException("upload data shorter than its recorded size");
                }
                md.update(buf, 0, n);
                remaining -= n;
            }
        } catch (PathNotFoundException e) {
            if (state.size() != 0) {
                throw StorageFailures.unavailable("re-reading upload " + state.id(), e);
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("re-reading upload " + state.id(), e);
        }
    }

    private UploadState load(RepositoryName repo, String id) {
        if (id == null || !UPLOAD_ID.matcher(id).matches()) {
            throw OciException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload unknown: " + id);
        }
        try {
            String info = new String(driver.getContent(Layout.uploadInfo(repo, id)), StandardCharsets.US_ASCII);
            DigestAlgorithm algorithm = DigestAlgorithm.SHA256;
            Instant startedAt = Instant.EPOCH;
            for (String line : info.split("\n")) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = line.substring(0, eq);
                String value = line.substring(eq + 1);
                if (key.equals("algorithm")) {
                    algorithm = DigestAlgorithm.parse(value);
                } else if (key.equals("startedAt")) {
                    startedAt = Instant.parse(value);
                }
            }
            long size;
            try {
                size = driver.stat(Layout.uploadData(repo, id)).size();
            } catch (PathNotFoundException e) {
                size = 0;
            }
            return new UploadState(repo, id, size, algorithm, startedAt);
        } catch (PathNotFoundException e) {
            throw OciException.of(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload unknown: " + id);
        } catch (IOException e) {
            throw StorageFailures.unavailable("reading upload " + id, e);
        }
    }

    private void discard(RepositoryName repo, String id) {
        hashes.invalidate(id);
        remove(Layout.uploadDir(repo, id), id);
    }

    private void remove(String path, String id) {
        try {
            driver.delete(path);
        } catch (PathNotFoundException e) {
            // already gone
        } catch (IOException e) {
            throw StorageFailures.unavailable("removing upload " + id, e);
        }
    }

    /**
     * Ends a completed session whose data is not needed: the session is gone at once (its info object
     * is deleted, so the id answers BLOB_UPLOAD_UNKNOWN), the data is deleted in the background. If
     * the process stops first, {@link dev.akua.registry.storage.purge.UploadPurge} removes the rest as
     * an abandoned session.
     */
    private void retire(RepositoryName repo, String id) {
        hashes.invalidate(id);
        remove(Layout.uploadInfo(repo, id), id);
        CLEANUP.execute(() -> {
            try {
                driver.delete(Layout.uploadDir(repo, id));
            } catch (IOException | RuntimeException e) {
                // left for the upload purge
            }
        });
    }

    private <T> T withLock(String id, java.util.function.Supplier<T> action) {
        ReentrantLock lock = locks[Math.floorMod(id == null ? 0 : id.hashCode(), STRIPES)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
