package dev.akua.registry.remote.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import dev.akua.registry.remote.RemoteResponse;

/**
 * A blob body on its way in. {@link #body()} hashes while it streams and, at the end, throws
 * {@link DigestMismatchException} unless the bytes hash to the digest asked for; the size cap,
 * declared length and deadline of the request apply as for every {@link RemoteResponse}. Bytes read
 * before the end are unverified: a caller stores them aside and publishes only after EOF.
 */
public final class BlobResponse implements AutoCloseable {
    private final RemoteResponse response;
    private final InputStream body;
    private final long size;

    BlobResponse(RemoteResponse response, String digest) {
        this.response = response;
        this.size = response.contentLength().orElse(-1);
        this.body = new Verifying(response.body(), digest);
    }

    /** The declared length, or -1 when the registry streamed without one. */
    public long size() {
        return size;
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        response.close();
    }

    private static final class Verifying extends FilterInputStream {
        private final String expected;
        private final MessageDigest md;
        private boolean verified;

        Verifying(InputStream in, String expected) {
            super(in);
            this.expected = expected;
            this.md = ContentDigest.hasher(expected);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                md.update(b, off, n);
            } else if (n < 0 && !verified) {
                String actual = ContentDigest.finish(expected, md.digest());
                if (!actual.equals(expected)) {
                    throw new DigestMismatchException("blob", expected, actual);
                }
                verified = true;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would bypass the hash.
            byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
