package dev.akua.registry.publisher;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Builds tar.gz test inputs entry by entry, including the hostile kinds. */
public final class Tars {
    private final List<Entry> entries = new ArrayList<>();
    private long mtime = 1_700_000_000_000L;

    public record Entry(String name, byte type, String link, byte[] content, long mtime, int uid) {
    }

    public static Tars tar() {
        return new Tars();
    }

    public Tars mtime(long millis) {
        this.mtime = millis;
        return this;
    }

    public Tars file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Tars file(String name, byte[] content) {
        entries.add(new Entry(name, TarConstants.LF_NORMAL, null, content, mtime, 1000));
        return this;
    }

    public Tars dir(String name) {
        entries.add(new Entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, null, new byte[0], mtime, 1000));
        return this;
    }

    public Tars special(String name, byte type, String link) {
        entries.add(new Entry(name, type, link, new byte[0], mtime, 1000));
        return this;
    }

    public Tars reversed() {
        java.util.Collections.reverse(entries);
        return this;
    }

    public byte[] tgz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] plainTar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void write(TarArchiveOutputStream tar) throws IOException {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Entry e : entries) {
            TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
            if (e.link() != null) {
                entry.setLinkName(e.link());
            }
            entry.setModTime(e.mtime());
            entry.setUserId(e.uid());
            entry.setUserName("builder");
            entry.setSize(e.type() == TarConstants.LF_NORMAL ? e.content().length : 0);
            tar.putArchiveEntry(entry);
            if (e.type() == TarConstants.LF_NORMAL) {
                tar.write(e.content());
            }
            tar.closeArchiveEntry();
        }
    }

    /**
     * A gzip bomb: a tar holding one file of {@code bytes} zero bytes, compressed at level 9 (about
     * 1000:1). The tar header declares the real size.
     */
    public static byte[] zeroFileBomb(String name, long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new LevelNineGzip(out))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes);
            tar.putArchiveEntry(entry);
            byte[] zeros = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= zeros.length) {
                tar.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A gzip bomb whose tar headers do not give it away: a GNU long-name entry ({@code ././@LongLink},
     * type 'L') of {@code bytes} letters, which a tar reader must hold whole to learn the next
     * entry's name. Only a limit applied while inflating stops it.
     */
    public static byte[] longNameBomb(long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new LevelNineGzip(out)) {
            byte[] header = new byte[512];
            put(header, 0, "././@LongLink");
            put(header, 100, "0000644");
            put(header, 108, "0000000");
            put(header, 116, "0000000");
            put(header, 124, String.format("%011o", bytes));
            put(header, 136, "00000000000");
            header[156] = 'L';
            put(header, 257, "ustar  ");
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum));
            header[154] = 0;
            gz.write(header);
            byte[] letters = new byte[1 << 20];
            java.util.Arrays.fill(letters, (byte) 'a');
            for (long left = bytes; left > 0; left -= letters.length) {
                gz.write(letters, 0, (int) Math.min(letters.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }

    private static final class LevelNineGzip extends GZIPOutputStream {
        LevelNineGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
