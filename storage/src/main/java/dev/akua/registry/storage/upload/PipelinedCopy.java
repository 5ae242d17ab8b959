package dev.akua.registry.storage.upload;

import dev.akua.registry.storage.driver.FileWriter;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Copies a request body to storage while hashing it. Small bodies (one buffer) are hashed and
 * written inline. Larger ones run as a three-stage pipeline: the request thread only reads, and each
 * buffer it fills goes to a hashing thread and a writing thread at once, so a monolithic push costs
 * about max(read, hash, write) rather than their sum. That matters because on the common two-core
 * machine the request thread's socket reads and the SHA-256 each take a core's worth of time.
 *
 * <p>Both stages see every buffer, in order; a buffer returns to the free list only after both are
 * done with it, so none is overwritten while in use. A stage that fails keeps draining its queue
 * (without working) so the reader never blocks on it; the reader stops at the next buffer and the
 * failure is rethrown. Bytes already written stay: the upload store re-reads the stored data when its
 * running hash may be stale.
 */
final class PipelinedCopy {
    static final int BUFFER = 1024 * 1024;
    /** First buffer when the length is not announced (streamed PATCH): most such bodies are small. */
    private static final int FIRST_UNKNOWN = 64 * 1024;
    /** Buffers in flight per upload: eight concurrent large uploads hold 32 MiB of heap. */
    private static final int DEPTH = 4;

    /** Platform threads: the stages are CPU- or disk-bound for their whole life, not I/O waits. */
    private static final ExecutorService STAGES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upload-stage");
        t.setDaemon(true);
        return t;
    });

    private PipelinedCopy() {
    }

    private record Chunk(byte[] bytes, int length, AtomicInteger users) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0, new AtomicInteger());

    @FunctionalInterface
    private interface Work {
        void accept(Chunk chunk) throws Exception;
    }

    /** One consumer of the chunks, on its own thread. */
    private static final class Stage {
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(DEPTH + 1);
        private final Future<?> done;
        private volatile Throwable failure;

        Stage(Work work, BlockingQueue<byte[]> free) {
            done = STAGES.submit(() -> {
                while (true) {
                    Chunk c = queue.take();
                    if (c == END) {
                        return null;
                    }
                    if (failure == null) {
                        try {
                            work.accept(c);
                        } catch (Throwable t) {
                            failure = t;
                        }
                    }
                    if (c.users().decrementAndGet() == 0) {
                        free.put(c.bytes());
                    }
                }
            });
        }

        void put(Chunk c) throws InterruptedException {
            queue.put(c);
        }

        /** Waits for the stage to drain; the failure it met, if any. */
        Throwable finish() {
            try {
                queue.put(END);
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e;
            } catch (java.util.concurrent.ExecutionException e) {
                return e.getCause();
            }
            return failure;
        }
    }

    /**
     * Copies at most {@code limit} bytes (Long.MAX_VALUE: until EOF).
     *
     * @param progress receives the number of bytes both written and hashed once the stages are done,
     *                 also when reading the body failed part way (not when writing or hashing did)
     * @return the number of bytes copied
     * @throws IOException a read failure of {@code in} (the client's) or a write failure of
     *                     {@code out}, whichever came first
     */
    static long copy(InputStream in, FileWriter out, MessageDigest md, long limit, LongConsumer progress)
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
        for (int i = 1; i < DEPTH; i++) {
            free.add(new byte[BUFFER]);
        }
        Stage hasher = new Stage(c -> md.update(c.bytes(), 0, c.length()), free);
        Stage writer = new Stage(c -> out.write(c.bytes(), 0, c.length()), free);
        long total = 0;
        IOException readFailure = null;
        try {
            byte[] buf = first;
            while (true) {
                Chunk c = new Chunk(buf, n, new AtomicInteger(2));
                hasher.put(c);
                writer.put(c);
                total += n;
                if (total >= limit || hasher.failure != null || writer.failure != null) {
                    break;
                }
                buf = free.take();
                try {
                    n = in.readNBytes(buf, 0, (int) Math.min(buf.length, limit - total));
                } catch (IOException e) {
                    readFailure = e;
                    break;
                }
                if (n <= 0) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readFailure = new IOException("interrupted while copying an upload", e);
        }
        Throwable hashFailure = hasher.finish();
        Throwable writeFailure = writer.finish();
        if (writeFailure != null) {
            throw writeFailure instanceof IOException io ? io : new IOException("writing an upload failed", writeFailure);
        }
        if (hashFailure != null) {
            throw new IllegalStateException("hashing an upload failed", hashFailure);
        }
        progress.accept(total);
        if (readFailure != null) {
            throw readFailure;
        }
        return total;
    }
}
