package dev.akua.registry.storage.driver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link StorageDriver} must have. Each driver's test class extends this and
 * supplies a fresh, empty driver; the S3 driver runs the same suite.
 */
public abstract class StorageDriverContract {
    protected StorageDriver driver;

    /** A new, empty driver. */
    protected abstract StorageDriver newDriver() throws Exception;

    /** Release what {@link #newDriver()} made. */
    protected void closeDriver() throws Exception {
    }

    @BeforeEach
    void setUpDriver() throws Exception {
        driver = newDriver();
    }

    @AfterEach
    void tearDownDriver() throws Exception {
        closeDriver();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putContent_thenGetContent_returnsSameBytes() throws Exception {
        driver.putContent("/a/b/c", utf8("hello"));
        assertArrayEquals(utf8("hello"), driver.getContent("/a/b/c"));
    }

    @Test
    void putContent_existing_replacesWholeObject() throws Exception {
        driver.putContent("/x", utf8("a much longer first value"));
        driver.putContent("/x", utf8("short"));
        assertArrayEquals(utf8("short"), driver.getContent("/x"));
    }

    @Test
    void putContent_empty_isAnEmptyObject() throws Exception {
        driver.putContent("/empty", new byte[0]);
        assertEquals(0, driver.getContent("/empty").length);
        assertEquals(0, driver.stat("/empty").size());
    }

    @Test
    void getContent_missing_throwsPathNotFound() {
        assertThrows(PathNotFoundException.class, () -> driver.getContent("/nope"));
    }

    @Test
    void reader_fromOffset_readsTail() throws Exception {
        driver.putContent("/r", utf8("0123456789"));
        try (InputStream in = driver.reader("/r", 4)) {
            assertArrayEquals(utf8("456789"), in.readAllBytes());
        }
        try (InputStream in = driver.reader("/r", 10)) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void reader_offsetPastEnd_fails() throws Exception {
        driver.putContent("/r", utf8("0123"));
        assertThrows(IOException.class, () -> driver.reader("/r", 5).close());
    }

    @Test
    void reader_missing_throwsPathNotFound() {
        assertThrows(PathNotFoundException.class, () -> driver.reader("/nope", 0));
    }

    @Test
    void writer_append_continuesAfterReopen() throws Exception {
        try (FileWriter w = driver.writer("/up/data", true)) {
            w.write(utf8("abc"), 0, 3);
            w.commit();
            assertEquals(3, w.size());
        }
        try (FileWriter w = driver.writer("/up/data", true)) {
            assertEquals(3, w.size());
            w.write(utf8("xdefx"), 1, 3);
            w.commit();
            assertEquals(6, w.size());
        }
        assertArrayEquals(utf8("abcdef"), driver.getContent("/up/data"));
        assertEquals(6, driver.stat("/up/data").size());
    }

    @Test
    void writer_noAppend_truncates() throws Exception {
        driver.putContent("/w", utf8("old content"));
        try (FileWriter w = driver.writer("/w", false)) {
            w.write(utf8("new"), 0, 3);
            w.commit();
        }
        assertArrayEquals(utf8("new"), driver.getContent("/w"));
    }

    @Test
    void writer_cancel_removesObject() throws Exception {
        FileWriter w = driver.writer("/c", false);
        w.write(utf8("abc"), 0, 3);
        w.cancel();
        w.close();
        assertFalse(driver.exists("/c"));
    }

    @Test
    void writer_largeStream_roundTripsByHash() throws Exception {
        Random random = new Random(42);
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[300_001];
        try (FileWriter w = driver.writer("/big", false)) {
            for (int i = 0; i < 20; i++) {
                random.nextBytes(chunk);
                w.write(chunk, 0, chunk.length);
                written.update(chunk);
            }
            w.commit();
        }
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = driver.reader("/big", 0)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                read.update(buf, 0, n);
            }
        }
        assertArrayEquals(written.digest(), read.digest());
        assertEquals(20L * chunk.length, driver.stat("/big").size());
    }

    @Test
    void stat_directory_isReportedAsDirectory() throws Exception {
        driver.putContent("/d/e/f", utf8("x"));
        assertTrue(driver.stat("/d").directory());
        assertTrue(driver.stat("/d/e").directory());
        assertFalse(driver.stat("/d/e/f").directory());
        assertEquals(1, driver.stat("/d/e/f").size());
    }

    @Test
    void stat_missing_throwsPathNotFound() {
        assertThrows(PathNotFoundException.class, () -> driver.stat("/missing"));
    }

    @Test
    void list_returnsDirectChildrenSorted() throws Exception {
        driver.putContent("/l/b", utf8("1"));
        driver.putContent("/l/a/deep/x", utf8("2"));
        driver.putContent("/l/c/y", utf8("3"));
        driver.putContent("/other", utf8("4"));
        assertEquals(List.of("/l/a", "/l/b", "/l/c"), driver.list("/l"));
    }

    @Test
    void list_root_listsTopLevel() throws Exception {
        driver.putContent("/top1/x", utf8("1"));
        driver.putContent("/top2", utf8("2"));
        assertEquals(List.of("/top1", "/top2"), driver.list("/"));
    }

    @Test
    void list_missing_throwsPathNotFound() {
        assertThrows(PathNotFoundException.class, () -> driver.list("/none"));
    }

    @Test
    void move_replacesDestination() throws Exception {
        driver.putContent("/src/data", utf8("new"));
        driver.putContent("/dst/data", utf8("old"));
        driver.move("/src/data", "/dst/data");
        assertArrayEquals(utf8("new"), driver.getContent("/dst/data"));
        assertFalse(driver.exists("/src/data"));
    }

    @Test
    void move_missingSource_throwsPathNotFound() {
        assertThrows(PathNotFoundException.class, () -> driver.move("/none", "/dest"));
    }

    @Test
    void delete_object_removesIt() throws Exception {
        driver.putContent("/del", utf8("x"));
        driver.delete("/del");
        assertFalse(driver.exists("/del"));
    }

    @Test
    void delete_directory_removesTree() throws Exception {
        driver.putContent("/tree/a/1", utf8("x"));
        driver.putContent("/tree/b", utf8("y"));
        driver.putContent("/treesibling", utf8("z"));
        driver.delete("/tree");
        assertFalse(driver.exists("/tree/a/1"));
        assertFalse(driver.exists("/tree"));
        assertTrue(driver.exists("/treesibling"), "a sibling sharing the name prefix must survive");
    }

    @Test
    void delete_missing_throwsPathNotFound() {
        assertThrows(PathNotFoundException.class, () -> driver.delete("/gone"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "relative", "/a/../b", "/a//b", "/a/./b", "/.hidden", "/a/", "/a b", "/a\\b"})
    void anyCall_invalidPath_isRejected(String path) {
        assertThrows(IllegalArgumentException.class, () -> driver.putContent(path, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> driver.getContent(path));
    }

    @Test
    void putContent_concurrentWriters_neverMixContent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                byte fill = (byte) ('a' + t);
                futures.add(pool.submit(() -> {
                    byte[] value = new byte[64 * 1024];
                    java.util.Arrays.fill(value, fill);
                    for (int i = 0; i < 20; i++) {
                        driver.putContent("/race/link", value);
                        byte[] seen = driver.getContent("/race/link");
                        assertEquals(value.length, seen.length, "partial object observed");
                        for (byte b : seen) {
                            if (b != seen[0]) {
                                throw new AssertionError("mixed object observed");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
