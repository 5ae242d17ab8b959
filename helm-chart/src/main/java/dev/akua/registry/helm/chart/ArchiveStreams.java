package dev.akua.registry.helm.chart;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Stream pieces for reading an untrusted archive in one pass, shared by {@link ChartReader} and the
 * publisher's {@code TarGzReader}: a byte counter that stops at a limit while the bytes flow (so a
 * gzip bomb is stopped as it expands, not after) and can hash what passes; a marker on the caller's
 * stream so its own failures (a client that went away) are told apart from a broken archive after
 * passing through the decoders; and a view that ignores {@code close()}.
 */
public final class ArchiveStreams {
    private ArchiveStreams() {
    }

    /** Thrown by {@link Counting} when more than its limit passed; the message says which limit. */
    public static final class LimitExceeded extends IOException {
        LimitExceeded(String message) {
            super(message);
        }
    }

    /** A failure of the caller's own stream, carried through the decoders; {@link #original()} is what it threw. */
    public static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        public IOException original() {
            return (IOException) getCause();
        }
    }

    /** {@code in} with every exception it throws marked as a {@link SourceFailure}. */
    public static InputStream source(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw new SourceFailure(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw new SourceFailure(e);
                }
            }
        };
    }

    /** The first exception of {@code type} in the cause chain of {@code e}, or null (decoders may wrap). */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** {@code in} with {@code close()} doing nothing (the decoder above must not close what lies below). */
    public static InputStream keepOpen(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }

    /** Counts (and optionally hashes) the bytes that pass; skips are reads, so they count too. */
    public static final class Counting extends FilterInputStream {
        private final long limit;
        private final String message;
        private final MessageDigest digest;
        private long count;

        /**
         * @param limit   most bytes allowed through; one more throws {@link LimitExceeded} with {@code message}
         * @param digest  updated with every byte that passes, or null
         */
        public Counting(InputStream in, long limit, String message, MessageDigest digest) {
            super(in);
            this.limit = limit;
            this.message = message;
            this.digest = digest;
        }

        public long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                if (digest != null) {
                    digest.update((byte) b);
                }
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                if (digest != null) {
                    digest.update(b, off, n);
                }
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(8192, Math.max(n, 1))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void add(int n) throws LimitExceeded {
            count += n;
            if (count > limit) {
                throw new LimitExceeded(message);
            }
        }
    }
}
