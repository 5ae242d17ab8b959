package dev.akua.registry.storage.upload;

import dev.akua.registry.storage.driver.FileWriter;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Copies a request body to storage while hashing it. Small bodies (one buffer) are hashed inline;
 * larger ones hash on a second thread while the request thread keeps reading and writing, so a
 * monolithic push costs max(hash, I/O) rather than their sum. The hash always sees exactly the
 * bytes written, in order; buffers are handed over, never shared while in use.
 */
final class PipelinedCopy {
    static final int BUFFER = 1024 * 1024;
    /** First buffer when the length is not announced (streamed PATCH): most such bodies are small. */
    private static final int FIRST_UNKNOWN = 64 * 1024;
    private static final int DEPTH = 3;

    private PipelinedCopy() {
    }

    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    /**
     * Copies at most {@code limit} bytes (Long.MAX_VALUE: until EOF).
     *
     * @param progress receives each chunk's length after it was written and hashed
     * @return the number of bytes copied
     */
    static long copy(InputStream in, FileWriter out, MessageDigest md, long limit, java.util.function.LongConsumer progress)
            throws IOException {
        // Small bodies (akua's configs and layers, manifests' blobs) get a buffer of their size, not 1 MiB.
        byte[] first = new byte[(int) Math.min(limit == Long.MAX_VALUE ? FIRST_UNKNOWN : BUFFER, Math.max(limit, 1))];
        int n = in.readNBytes(first, 0, (int) Math.min(first.length, limit));
        if (n <= 0) {
            return 0;
        }
        if (n < first.length || n == limit) {
            out.write(first, 0, n);
            md.update(first, 0, n);
            progress.accept(n);
            return n;
        }
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH);
        BlockingQueue<Chunk> toHash = new ArrayBlockingQueue<>(DEPTH + 1);
        for (int i = 1; i < DEPTH; i++) {
            free.add(new byte[BUFFER]);
        }
        CompletableFuture<Void> hasher = new CompletableFuture<>();
        Thread.ofVirtual().name("upload-hash").start(() -> {
            try {
                while (true) {
                    Chunk c = toHash.take();
                    if (c == END) {
                        break;
                    }
                    md.update(c.bytes(), 0, c.length());
                    free.put(c.bytes());
                }
                hasher.complete(null);
            } catch (Throwable t) {
                hasher.completeExceptionally(t);
            }
        });
        long total = 0;
        try {
            byte[] buf = first;
            while (true) {
                out.write(buf, 0, n);
                toHash.put(new Chunk(buf, n));
                total += n;
                progress.accept(n);
                if (total >= limit) {
                    break;
                }
                buf = free.take();
                n = in.readNBytes(buf, 0, (int) Math.min(buf.length, limit - total));
                if (n <= 0) {
                    free.put(buf);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying an upload", e);
        } finally {
            toHash.add(END);
            try {
                hasher.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("hashing failed", e.getCause());
            }
        }
        return total;
    }
}
