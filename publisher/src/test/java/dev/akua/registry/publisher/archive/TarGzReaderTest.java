package dev.akua.registry.publisher.archive;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.publisher.Tars;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarGzReaderTest {
    private static final ArchiveLimits SMALL = new ArchiveLimits(1 << 20, 2 << 20, 64 * 1024, 50);

    private static Map<String, String> readAll(byte[] tgz, ArchiveLimits limits) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        new TarGzReader(limits).read(new ByteArrayInputStream(tgz),
                (name, size, in) -> out.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        return out;
    }

    private static ArchiveRefusal refused(byte[] tgz, ArchiveLimits limits) {
        return assertThrows(ArchiveRefusal.class, () -> readAll(tgz, limits));
    }

    @Test
    void read_filesAndDirectories_filesInOrderWithDotSlashRemoved() throws Exception {
        byte[] tgz = Tars.tar().dir("./").dir("./deploy").file("./deploy/a.yaml", "A").file("b.yaml", "B").tgz();
        Map<String, String> files = readAll(tgz, SMALL);
        assertEquals(Map.of("deploy/a.yaml", "A", "b.yaml", "B"), files);
        assertEquals(java.util.List.of("deploy/a.yaml", "b.yaml"), java.util.List.copyOf(files.keySet()));
    }

    @Test
    void read_anyArchive_digestCoversEveryByteSent() throws Exception {
        byte[] tgz = Tars.tar().file("a.yaml", "A").tgz();
        byte[] withTrailer = java.util.Arrays.copyOf(tgz, tgz.length + 7);
        TarGzReader.Summary s = new TarGzReader(SMALL).read(new ByteArrayInputStream(withTrailer), (n, z, in) -> { });
        assertEquals(Digest.sha256(withTrailer), s.digest());
        assertEquals(withTrailer.length, s.size());
        assertEquals(1, s.files());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.yaml", "deploy/../../evil.yaml", "/etc/passwd", "a\\b.yaml", "C:/x.yaml", "a//b.yaml", "a/./b.yaml"})
    void read_unsafeName_refusedNamingTheEntry(String name) {
        ArchiveRefusal e = refused(Tars.tar().file("ok.yaml", "x").file(name, "y").tgz(), SMALL);
        assertTrue(e.getMessage().contains("entry '"), e.getMessage());
        assertFalse(e.tooLarge());
    }

    @Test
    void read_colonInName_notMistakenForADrive() throws Exception {
        assertEquals(Map.of("a:b.yaml", "x"), readAll(Tars.tar().file("a:b.yaml", "x").tgz(), SMALL));
    }

    @Test
    void read_symbolicLink_refused() {
        ArchiveRefusal e = refused(Tars.tar().special("link.yaml", TarConstants.LF_SYMLINK, "/etc/passwd").tgz(), SMALL);
        assertEquals("entry 'link.yaml' is a symbolic link; only regular files and directories are accepted", e.getMessage());
    }

    @Test
    void read_hardLink_refused() {
        ArchiveRefusal e = refused(Tars.tar().file("a.yaml", "x").special("b.yaml", TarConstants.LF_LINK, "a.yaml").tgz(), SMALL);
        assertTrue(e.getMessage().contains("'b.yaml' is a hard link"), e.getMessage());
    }

    @Test
    void read_devicesAndFifos_refused() {
        assertTrue(refused(Tars.tar().special("dev", TarConstants.LF_CHR, null).tgz(), SMALL).getMessage().contains("is a device"));
        assertTrue(refused(Tars.tar().special("dev", TarConstants.LF_BLK, null).tgz(), SMALL).getMessage().contains("is a device"));
        assertTrue(refused(Tars.tar().special("fifo", TarConstants.LF_FIFO, null).tgz(), SMALL).getMessage().contains("is a FIFO"));
    }

    @Test
    void read_sameNameTwice_refused() {
        ArchiveRefusal e = refused(Tars.tar().file("a.yaml", "1").file("./a.yaml", "2").tgz(), SMALL);
        assertEquals("entry 'a.yaml' appears twice in the archive", e.getMessage());
    }

    @Test
    void read_fileOverPerFileLimit_refusedFromItsHeader() {
        ArchiveRefusal e = refused(Tars.tar().file("big.yaml", new byte[64 * 1024 + 1]).tgz(), SMALL);
        assertTrue(e.tooLarge());
        assertEquals("file 'big.yaml' has 65537 bytes, more than the limit of 65536", e.getMessage());
    }

    @Test
    void read_tooManyEntries_refused() {
        Tars t = Tars.tar();
        for (int i = 0; i < 51; i++) {
            t.file("f" + i + ".yaml", "x");
        }
        ArchiveRefusal e = refused(t.tgz(), SMALL);
        assertTrue(e.tooLarge());
        assertEquals("the archive has more than 50 entries", e.getMessage());
    }

    @Test
    void read_filesOverUnpackedTotal_refused() {
        Tars t = Tars.tar();
        for (int i = 0; i < 40; i++) {
            t.file("f" + i + ".yaml", new byte[60 * 1024]);
        }
        ArchiveRefusal e = refused(t.tgz(), SMALL);
        assertTrue(e.tooLarge());
        // whichever check fires first (declared sizes, or bytes inflated including headers) names the same limit
        assertTrue(e.getMessage().contains("more than 2097152 bytes"), e.getMessage());
    }

    @Test
    void read_compressedStreamOverLimit_refusedWhileReading() {
        byte[] random = new byte[2 << 20];
        new java.util.Random(7).nextBytes(random);
        ArchiveLimits limits = new ArchiveLimits(1 << 20, 8 << 20, 4 << 20, 10);
        ArchiveRefusal e = refused(Tars.tar().file("r.bin", random).tgz(), limits);
        assertEquals("the archive is larger than 1048576 bytes", e.getMessage());
    }

    @Test
    void read_longNameGzipBomb_stoppedAtTheUnpackedLimitWhileInflating() {
        byte[] bomb = Tars.longNameBomb(256L << 20);
        assertTrue(bomb.length < 1 << 20, "fixture compresses about 1000:1, got " + bomb.length);
        CountingInput in = new CountingInput(new ByteArrayInputStream(bomb));
        ArchiveRefusal e = assertThrows(ArchiveRefusal.class,
                () -> new TarGzReader(SMALL).read(in, (n, s, c) -> { }));
        assertTrue(e.tooLarge());
        assertEquals("the archive expands to more than 2097152 bytes", e.getMessage());
        // stopped after inflating ~2 MiB: a small fraction of the compressed stream was consumed
        assertTrue(in.count < bomb.length / 10, "read " + in.count + " of " + bomb.length + " compressed bytes");
    }

    @Test
    void read_notGzip_refusedAsInvalid() {
        ArchiveRefusal e = refused("this is not gzip".getBytes(StandardCharsets.US_ASCII), SMALL);
        assertTrue(e.getMessage().startsWith("not a valid gzip-compressed tar: "), e.getMessage());
    }

    @Test
    void read_truncatedArchive_refusedAsInvalid() {
        byte[] tgz = Tars.tar().file("a.yaml", new byte[40_000]).tgz();
        byte[] cut = java.util.Arrays.copyOf(tgz, tgz.length / 2);
        ArchiveRefusal e = refused(cut, SMALL);
        assertTrue(e.getMessage().startsWith("not a valid gzip-compressed tar"), e.getMessage());
    }

    @Test
    void read_sourceFails_ioExceptionPassedThroughNotARefusal() {
        IOException boom = new IOException("client went away");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw boom;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw boom;
            }
        };
        IOException e = assertThrows(IOException.class, () -> new TarGzReader(SMALL).read(failing, (n, s, c) -> { }));
        assertSame(boom, e);
    }

    @Test
    void read_gzipWithExtraFieldAsHelmWrites_accepted() throws Exception {
        // RFC 1952 FEXTRA with a free-form payload (Helm's archive writer adds one): the JDK skips it.
        byte[] plain = Tars.tar().file("a.yaml", "A").tgz();
        byte[] header = {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff, 5, 0, 'H', 'e', 'l', 'm', '!'};
        byte[] body = java.util.Arrays.copyOfRange(plain, 10, plain.length);
        byte[] withExtra = new byte[header.length + body.length];
        System.arraycopy(header, 0, withExtra, 0, header.length);
        System.arraycopy(body, 0, withExtra, header.length, body.length);
        assertEquals(Map.of("a.yaml", "A"), readAll(withExtra, SMALL));
    }

    private static final class CountingInput extends FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
