package dev.akua.registry.storage.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One multipart upload: parts uploaded from memory or copied server-side, then completed (the
 * object appears atomically) or aborted on close. Checks S3's part rules itself (at most 10,000
 * parts; every part but the last at least 5 MiB), because S3-compatible servers do not all
 * enforce them and a violation would only show on AWS.
 */
final class Multipart implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Multipart.class.getName());
    private static final int MAX_PARTS = 10_000;
    private final S3Driver driver;
    private final String key;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private String uploadId;
    private boolean completed;

    Multipart(S3Driver driver, String key) {
        this.driver = driver;
        this.key = key;
    }

    private String uploadId() throws IOException {
        if (uploadId == null) {
            try {
                uploadId = driver.client().createMultipartUpload(b -> b.bucket(driver.bucket()).key(key)
                        .contentType("application/octet-stream")).uploadId();
            } catch (SdkException e) {
                throw driver.failure("starting a multipart upload of", key, e);
            }
        }
        return uploadId;
    }

    void uploadPart(byte[] bytes, int length) throws IOException {
        int number = nextNumber();
        byte[] body = length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
        String id = uploadId();
        try {
            String etag = driver.client().uploadPart(b -> b.bucket(driver.bucket()).key(key).uploadId(id).partNumber(number)
                    .contentLength((long) length), RequestBody.fromBytes(body)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            sizes.add((long) length);
        } catch (SdkException e) {
            throw driver.failure("uploading part " + number + " of", key, e);
        }
    }

    /** Copies {@code [from, to)} of another object server-side, in pieces no larger than {@code maxPiece}. */
    void copyPieces(String source, long from, long to, long maxPiece) throws IOException {
        long length = to - from;
        if (length <= 0) {
            return;
        }
        long pieces = (length + maxPiece - 1) / maxPiece;
        long pieceSize = (length + pieces - 1) / pieces;
        for (long start = from; start < to; start += pieceSize) {
            long end = Math.min(to, start + pieceSize) - 1;
            int number = nextNumber();
            String id = uploadId();
            String range = "bytes=" + start + "-" + end;
            try {
                String etag = driver.client().uploadPartCopy(b -> b.sourceBucket(driver.bucket()).sourceKey(source)
                        .destinationBucket(driver.bucket()).destinationKey(key).uploadId(id).partNumber(number)
                        .copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                sizes.add(end - start + 1);
            } catch (SdkException e) {
                throw driver.failure("copying " + source + " " + range + " into", key, e);
            }
        }
    }

    private int nextNumber() throws IOException {
        if (parts.size() >= MAX_PARTS) {
            throw new IOException("object " + key + " would need more than " + MAX_PARTS + " parts");
        }
        return parts.size() + 1;
    }

    void complete() throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalStateException("a multipart upload needs at least one part");
        }
        for (int i = 0; i < sizes.size() - 1; i++) {
            if (sizes.get(i) < S3Settings.MIN_PART_SIZE) {
                throw new IllegalStateException("part " + (i + 1) + " of " + key + " has " + sizes.get(i)
                        + " bytes; every part but the last needs " + S3Settings.MIN_PART_SIZE);
            }
        }
        String id = uploadId();
        try {
            driver.client().completeMultipartUpload(b -> b.bucket(driver.bucket()).key(key).uploadId(id)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
        } catch (SdkException e) {
            throw driver.failure("completing the multipart upload of", key, e);
        }
    }

    @Override
    public void close() {
        if (uploadId != null && !completed) {
            try {
                driver.client().abortMultipartUpload(b -> b.bucket(driver.bucket()).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                // the upload purge discards it later (AbandonedWrites)
                LOG.log(Level.FINE, "aborting the multipart upload of " + key + " failed", e);
            }
        }
    }
}
