package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.remote.oci.BlobResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upstream fetch of one blob, shared by every client that asks for it meanwhile (the single
 * flight of the pull-through cache). The fetch runs on its own thread at the upstream's pace: it
 * writes each chunk to a local spool file, which clients tail, and to the storage staging object
 * ({@link LocalContent.BlobSink}); at the end the blob is verified and published, then readers get
 * the held-back tail. A slow or vanished client never slows or stops the fetch.
 *
 * <p>States: STARTING (no answer yet) → MISSING (upstream 404) | STREAMING → DONE | FAILED.
 */
final class BlobFetch {
    enum State { STARTING, STREAMING, MISSING, DONE, FAILED }

    private static final int BUFFER = 256 * 1024;

    private final RepositoryName repo;
    private final Digest digest;
    private final Path spool;
    private final Duration stallTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.STARTING;
    private long written;
    private long declaredSize = -1;
    private Throwable failure;

    BlobFetch(RepositoryName repo, Digest digest, Path spool, Duration stallTimeout) {
        this.repo = repo;
        this.digest = digest;
        this.spool = spool;
        this.stallTimeout = stallTimeout;
    }

    /** Interface to the upstream and storage, so the fetch loop is plain code. */
    interface Transfer {
        Optional<BlobResponse> open() throws IOException;

        LocalContent.BlobSink sink(long declaredSize) throws IOException;
    }

    /** The fetch itself; runs on the fetch thread. */
    void run(Transfer transfer) {
        LocalContent.BlobSink sink = null;
        try {
            Optional<BlobResponse> opened = transfer.open();
            if (opened.isEmpty()) {
                finish(State.MISSING, null);
                return;
            }
            try (BlobResponse response = opened.get();
                 FileChannel out = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                sink = transfer.sink(response.size());
                lock.lock();
                try {
                    declaredSize = response.size();
                    state = State.STREAMING;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                InputStream in = response.body();
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) >= 0) {   // the client's stream checks the digest at EOF
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    sink.write(buf, 0, n);
                    lock.lock();
                    try {
                        written += n;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
            sink.finish();                          // hashed again, size checked, published, linked
            finish(State.DONE, null);
        } catch (IOException | RuntimeException e) {
            finish(State.FAILED, e);
        } finally {
            if (sink != null) {
                sink.abortIfOpen();
            }
        }
    }

    private void finish(State end, Throwable cause) {
        lock.lock();
        try {
            state = end;
            failure = cause;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            // Readers hold their own open channel; on POSIX the file lives on until they close it.
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            // a leftover spool file is harmless; the directory is cleaned at start
        }
    }

    /** Waits until the upstream answered (or the fetch ended) and returns the state then. */
    State awaitAnswer() throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + stallTimeout.toNanos();
            while (state == State.STARTING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("upstream did not answer for blob " + digest + " within " + stallTimeout.toSeconds() + " s");
                }
                changed.awaitNanos(left);
            }
            return state;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the end of the fetch; true when the blob was stored. */
    boolean awaitEnd(Duration max) throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + max.toNanos();
            while (state == State.STARTING || state == State.STREAMING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("fetch of blob " + digest + " did not end within " + max.toSeconds() + " s");
                }
                changed.awaitNanos(left);
            }
            if (state == State.FAILED) {
                throw new IOException("fetching blob " + digest + " of " + repo + " failed: " + failure.getMessage(), failure);
            }
            return state == State.DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    Throwable failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reader of the blob as it arrives, or empty when it is already stored (serve it from storage).
     * Opened under the lock, so the spool file cannot vanish between the state check and the open.
     */
    Optional<BlobDelivery> reader() throws IOException {
        lock.lock();
        try {
            switch (state) {
                case DONE, MISSING -> {
                    return Optional.empty();
                }
                case FAILED -> throw new IOException("fetching blob " + digest + " failed: " + failure.getMessage(), failure);
                case STARTING -> throw new IllegalStateException("reader before the upstream answered");
                default -> {
                    FileChannel channel = FileChannel.open(spool, StandardOpenOption.READ);
                    return Optional.of(new BlobDelivery(digest, declaredSize, new Tail(channel)));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Follows the spool file; the last byte is released only once the fetch is DONE (verified and stored). */
    private final class Tail extends InputStream {
        private final FileChannel channel;
        private long position;
        private boolean closed;

        Tail(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            if (len == 0) {
                return 0;
            }
            long available;
            lock.lock();
            try {
                while (true) {
                    if (state == State.FAILED) {
                        throw new IOException("upstream fetch of " + digest + " failed: " + failure.getMessage(), failure);
                    }
                    long releasable = state == State.DONE ? written : written - 1;
                    if (position < releasable) {
                        available = releasable - position;
                        break;
                    }
                    if (state == State.DONE) {
                        return -1;
                    }
                    if (!changed.await(stallTimeout.toMillis(), TimeUnit.MILLISECONDS)
                            && state == State.STREAMING && position >= written - 1) {
                        throw new IOException("upstream stalled for " + stallTimeout.toSeconds() + " s while sending " + digest);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                lock.unlock();
            }
            int want = (int) Math.min(len, available);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new IOException("spool of " + digest + " is shorter than recorded");
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                channel.close();
            }
        }
    }
}
