package dev.akua.registry.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The body of a response as it streams: fails with {@link RemoteException.Kind#TOO_LARGE} as soon
 * as more than the cap has arrived, with {@link RemoteException.Kind#TRUNCATED} when the stream ends
 * before the declared Content-Length or the connection breaks mid-body, and with
 * {@link RemoteException.Kind#TIMEOUT} once the fetch deadline has passed. Nothing is buffered here.
 */
final class BoundedBody extends InputStream {
    private final InputStream in;
    private final URI uri;
    private final long cap;
    private final long declaredLength;
    private final boolean closeDelimited;
    private final long deadlineNanos;
    private final Runnable onClose;
    private long count;
    private boolean finished;
    private boolean closed;

    BoundedBody(InputStream in, URI uri, long cap, long declaredLength, boolean closeDelimited, long deadlineNanos,
                Runnable onClose) {
        this.closeDelimited = closeDelimited;
        this.in = in;
        this.uri = uri;
        this.cap = cap;
        this.declaredLength = declaredLength;
        this.deadlineNanos = deadlineNanos;
        this.onClose = onClose;
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
            throw new IOException("body stream is closed");
        }
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new RemoteException(RemoteException.Kind.TIMEOUT, uri, "fetch deadline passed while reading the body of " + uri);
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, cap - count + 1));
        } catch (IOException | UncheckedIOException e) {
            throw Failures.midBody(uri, e);
        } catch (RuntimeException e) {
            // Helidon reports broken chunk framing and early EOF as runtime exceptions.
            if (closeDelimited && e.getClass().getSimpleName().equals("InsufficientDataAvailableException")) {
                n = -1;
            } else {
                throw Failures.midBody(uri, e);
            }
        }
        if (n < 0) {
            finished = true;
            if (declaredLength >= 0 && count < declaredLength) {
                throw new RemoteException(RemoteException.Kind.TRUNCATED, uri,
                        "body of " + uri + " ended after " + count + " of " + declaredLength + " declared bytes");
            }
            return -1;
        }
        count += n;
        if (count > cap) {
            throw new RemoteException(RemoteException.Kind.TOO_LARGE, uri,
                    "body of " + uri + " exceeds the limit of " + cap + " bytes");
        }
        if (declaredLength >= 0 && count > declaredLength) {
            throw new RemoteException(RemoteException.Kind.TRUNCATED, uri,
                    "body of " + uri + " is longer than its declared " + declaredLength + " bytes");
        }
        return n;
    }

    /** Bytes delivered so far. */
    long count() {
        return count;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
