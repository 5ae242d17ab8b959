package dev.akua.registry.publisher.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a tar.gz whose bytes depend only on the file names and contents (ARCHITECTURE.md rule 9:
 * same inputs, same bytes):
 * <ul>
 * <li>entries in ascending name order (byte order of the UTF-8 names), files only, no directory entries;</li>
 * <li>every header the same apart from name and size: mode 0644, uid/gid 0, empty user and group
 *     names, mtime 0 (the Unix epoch); ustar headers, PAX extended headers only for names longer
 *     than ustar holds;</li>
 * <li>a gzip header with no modification time, no file name, no extra field, XFL 2 and OS 255
 *     ("unknown"), as {@code 1f 8b 08 00 00 00 00 00 02 ff}; one member; deflate at level 9.</li>
 * </ul>
 * The deflate stream is the JDK's zlib at a fixed level, so the bytes are stable for one JDK build;
 * a JDK whose zlib compresses differently gives other (equally valid) bytes.
 */
public final class DeterministicTarGz {
    static final int MODE = 0100644;
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff};

    private DeterministicTarGz() {
    }

    /** The archive of {@code files} (name → content); the map's order is ignored, names are sorted. */
    public static byte[] write(Map<String, byte[]> files) {
        java.util.TreeMap<String, byte[]> sorted = new java.util.TreeMap<>(DeterministicTarGz::compareUtf8);
        sorted.putAll(files);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipOut gz = new GzipOut(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (Map.Entry<String, byte[]> f : sorted.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey(), true);
                entry.setSize(f.getValue().length);
                entry.setMode(MODE);
                entry.setUserId(0);
                entry.setGroupId(0);
                entry.setUserName("");
                entry.setGroupName("");
                entry.setModTime(0L);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return out.toByteArray();
    }

    /** Orders names by their UTF-8 bytes (what Go's and Rust's sorts of strings do). */
    static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** RFC 1952 with a fixed header: raw deflate between the header and the CRC32/ISIZE trailer. */
    private static final class GzipOut extends OutputStream {
        private final OutputStream out;
        private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        private final CRC32 crc = new CRC32();
        private final byte[] buffer = new byte[16 * 1024];
        private long length;
        private boolean closed;

        GzipOut(OutputStream out) throws IOException {
            this.out = out;
            out.write(GZIP_HEADER);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            crc.update(b, off, len);
            length += len;
            deflater.setInput(b, off, len);
            while (!deflater.needsInput()) {
                drain(Deflater.NO_FLUSH);
            }
        }

        private void drain(int flush) throws IOException {
            int n = deflater.deflate(buffer, 0, buffer.length, flush);
            if (n > 0) {
                out.write(buffer, 0, n);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            deflater.finish();
            while (!deflater.finished()) {
                drain(Deflater.NO_FLUSH);
            }
            deflater.end();
            long c = crc.getValue();
            int size = (int) length;
            out.write(new byte[]{(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                    (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
            out.close();
        }
    }
}
