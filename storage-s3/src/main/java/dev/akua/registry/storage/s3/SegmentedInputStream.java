package dev.akua.registry.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The bytes of an appended object: its segments one after the other, each opened when reached. */
final class SegmentedInputStream extends InputStream {
    private final S3Driver driver;
    private final List<S3Driver.Segment> segments;
    private int next;
    private long skip;
    private InputStream current;

    SegmentedInputStream(S3Driver driver, List<S3Driver.Segment> segments, long offset) {
        this.driver = driver;
        this.segments = segments;
        this.skip = offset;
    }

    private boolean advance() throws IOException {
        while (current == null) {
            if (next >= segments.size()) {
                return false;
            }
            S3Driver.Segment s = segments.get(next++);
            if (skip >= s.size()) {
                skip -= s.size();
                continue;
            }
            current = driver.openRange(s.key(), skip, s.size() - 1);
            skip = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (advance()) {
            int n = current.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            current.close();
            current = null;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
        next = segments.size();
    }
}
