package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.driver.FileWriter;
import dev.akua.registry.storage.driver.PathNotFoundException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.util.Arrays;

/**
 * Appends to an object as segments (see {@link Keys}). Bytes are buffered up to one part; a
 * commit turns everything since the previous commit into one new segment, by a single PUT when
 * it fits one part and as a multipart upload otherwise (parts are flushed as the buffer fills, so
 * memory stays at one part however large the chunk). Closing commits what is pending: the driver
 * contract makes written bytes visible without a commit, which an object store can only honour
 * once the writer is done (the upload store closes after each chunk). Bytes are never visible in
 * part: a failed commit leaves the object as it was (an unfinished multipart upload is aborted, or
 * left for {@code discardAbandonedWrites} if S3 is unreachable).
 */
final class SegmentWriter implements FileWriter {
    private final S3Driver driver;
    private final String path;
    private final String key;
    private long size;
    private long nextIndex;
    private boolean exists;
    private byte[] buffer = new byte[0];
    private int buffered;
    private Multipart multipart;
    private boolean closed;

    SegmentWriter(S3Driver driver, String path, String key, long size, long nextIndex, boolean exists) {
        this.driver = driver;
        this.path = path;
        this.key = key;
        this.size = size;
        this.nextIndex = nextIndex;
        this.exists = exists;
    }

    @Override
    public void write(byte[] b, int offset, int length) throws IOException {
        ensureOpen();
        int part = driver.partSize();
        while (length > 0) {
            int n = Math.min(length, part - buffered);
            if (buffer.length < buffered + n) {
                // grow geometrically up to one part: small uploads never allocate a whole part
                buffer = Arrays.copyOf(buffer, (int) Math.min(part, Math.max((long) buffered + n, buffer.length * 2L)));
            }
            System.arraycopy(b, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            size += n;
            if (buffered == part) {
                flushPart();
            }
        }
    }

    private void flushPart() throws IOException {
        if (multipart == null) {
            multipart = new Multipart(driver, driver.keys().newSegmentKey(key, nextIndex));
        }
        multipart.uploadPart(buffer, buffered);
        buffered = 0;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        if (multipart != null) {
            if (buffered > 0) {
                flushPart();
            }
            multipart.complete();
            multipart.close();
            multipart = null;
        } else if (buffered > 0 || !exists) {
            String segment = driver.keys().newSegmentKey(key, nextIndex);
            byte[] bytes = buffered == buffer.length ? buffer : Arrays.copyOf(buffer, buffered);
            try {
                driver.client().putObject(r -> r.bucket(driver.bucket()).key(segment).contentType("application/octet-stream"),
                        RequestBody.fromBytes(bytes));
            } catch (SdkException e) {
                throw driver.failure("writing", segment, e);
            }
        } else {
            return; // nothing new
        }
        exists = true;
        nextIndex++;
        buffered = 0;
    }

    @Override
    public void cancel() throws IOException {
        discardPending();
        close();
        try {
            driver.delete(path);
        } catch (PathNotFoundException e) {
            // nothing was committed
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (multipart != null || buffered > 0) {
                commit();
            }
        } finally {
            closed = true;
            buffer = new byte[0];
            if (multipart != null) {
                multipart.close(); // the commit failed: abort the unfinished upload
                multipart = null;
            }
        }
    }

    /** Drops what was written since the last commit (an open multipart upload is aborted). */
    private void discardPending() {
        buffered = 0;
        if (multipart != null) {
            multipart.close();
            multipart = null;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("writer of " + path + " is closed");
        }
    }
}
