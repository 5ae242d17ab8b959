package dev.akua.registry.storage.upload;

import dev.akua.registry.storage.driver.FileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three-stage copy (read; hash and write on their own threads) and how it fails. */
class PipelinedCopyTest {
    private static final int MIB = PipelinedCopy.BUFFER;
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    /** Records what it is given; can fail on its n-th write. */
    private static final class RecordingWriter implements FileWriter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int failOnWrite;
        int writes;

        RecordingWriter(int failOnWrite) {
            this.failOnWrite = failOnWrite;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (++writes == failOnWrite) {
                throw new IOException("disk full (test)");
            }
            bytes.write(buffer, offset, length);
        }

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public void commit() {
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }
    }

    /** Serves {@code content}, then fails instead of reaching its end if {@code failAt} is within it. */
    private static final class BreakingStream extends InputStream {
        private final byte[] content;
        private final int failAt;
        int position;

        BreakingStream(byte[] content, int failAt) {
            this.content = content;
            this.failAt = failAt;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the copy must read in blocks, not byte by byte");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= failAt) {
                throw new ClientBodyException("connection reset (test)", null);
            }
            if (position >= content.length) {
                return -1;
            }
            // at most 8 KiB per read, as Helidon hands the body over
            int n = Math.min(Math.min(len, 8192), Math.min(content.length, failAt) - position);
            System.arraycopy(content, position, b, off, n);
            position += n;
            return n;
        }
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 5 * 1024 * 1024 + 4097})
    void copy_anySize_writesAndHashesEveryByteInOrder(int size) throws Exception {
        byte[] content = random(size);
        for (long limit : new long[]{size, Long.MAX_VALUE}) {
            RecordingWriter out = new RecordingWriter(-1);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            AtomicLong progress = new AtomicLong();
            long copied = PipelinedCopy.copy(new BreakingStream(content, Integer.MAX_VALUE), out, md, limit, progress::addAndGet);
            assertEquals(size, copied);
            assertEquals(size, progress.get());
            assertArrayEquals(content, out.bytes.toByteArray(), "limit " + limit);
            assertArrayEquals(sha256(content), md.digest(), "limit " + limit);
        }
    }

    @Test
    void copy_stopsAtTheLimit_leavingTheRestUnread() throws Exception {
        byte[] content = random(3 * MIB);
        BreakingStream in = new BreakingStream(content, Integer.MAX_VALUE);
        RecordingWriter out = new RecordingWriter(-1);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertEquals(2 * MIB + 5, PipelinedCopy.copy(in, out, md, 2 * MIB + 5, n -> { }));
        assertEquals(2 * MIB + 5, in.position);
        assertArrayEquals(Arrays.copyOf(content, 2 * MIB + 5), out.bytes.toByteArray());
    }

    @Test
    void copy_writeFailsPartWay_throwsItAndStopsReading() {
        byte[] content = random(40 * MIB);
        BreakingStream in = new BreakingStream(content, Integer.MAX_VALUE);
        RecordingWriter out = new RecordingWriter(3);
        IOException e = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(IOException.class,
                () -> PipelinedCopy.copy(in, out, MessageDigest.getInstance("SHA-256"), content.length, n -> { })));
        assertEquals("disk full (test)", e.getMessage());
        assertEquals(2 * MIB, out.bytes.size(), "the two writes before the failure stay");
        assertTrue(in.position < 10 * MIB, "the reader stops soon after the failure, read " + in.position);
    }

    @Test
    void copy_bodyBreaksPartWay_throwsTheClientsFailureAfterStoringWholeBuffers() throws Exception {
        byte[] content = random(6 * MIB);
        int breakAt = 3 * MIB + MIB / 2;
        RecordingWriter out = new RecordingWriter(-1);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        AtomicLong progress = new AtomicLong();
        IOException e = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(IOException.class,
                () -> PipelinedCopy.copy(new BreakingStream(content, breakAt), out, md, content.length, progress::addAndGet)));
        assertSame(ClientBodyException.class, e.getClass());
        assertEquals(3 * MIB, out.bytes.size(), "buffers read whole are written; the broken one is not");
        assertEquals(3 * MIB, progress.get(), "progress counts exactly what was written and hashed");
        assertArrayEquals(sha256(Arrays.copyOf(content, 3 * MIB)), md.digest(), "the hash covers the same bytes");
    }
}
