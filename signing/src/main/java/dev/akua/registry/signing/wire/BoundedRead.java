package dev.akua.registry.signing.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a stream into memory only up to a cap, so a hostile blob cannot exhaust the heap. */
public final class BoundedRead {
    private BoundedRead() {
    }

    /**
     * Reads all of {@code in} if it holds at most {@code max} bytes; returns null if it holds more
     * (after reading {@code max + 1} bytes, never more). The stream is not closed.
     */
    public static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] buf = new byte[Math.min(max + 1, 8192)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > max) {
                    return null;
                }
                buf = Arrays.copyOf(buf, Math.min(max + 1, buf.length * 2));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
            if (len > max) {
                return null;
            }
        }
        return Arrays.copyOf(buf, len);
    }
}
