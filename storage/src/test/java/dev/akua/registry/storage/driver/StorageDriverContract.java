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
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
    void writer_commitThenWriteMore_keepsEverythingInOrder() throws Exception {
        try (FileWriter w = driver.writer("/more/data", false)) {
            w.write(utf8("one,"), 0, 4);
            w.commit();
            assertEquals(4, driver.stat("/more/data").size(), "committed bytes are visible before close");
            w.write(utf8("two,"), 0, 4);
            w.write(utf8("three"), 0, 5);
            w.commit();
            assertEquals(13, w.size());
        }
        assertArrayEquals(utf8("one,two,three"), driver.getContent("/more/data"));
        try (InputStream in = driver.reader("/more/data", 6)) {
            assertArrayEquals(utf8("o,three"), in.readAllBytes());
        }
    }

    @Test
    void writer_emptyCommit_createsEmptyObject() throws Exception {
        try (FileWriter w = driver.writer("/e/data", false)) {
            w.commit();
        }
        assertTrue(driver.exists("/e/data"));
        assertEquals(0, driver.stat("/e/data").size());
        try (FileWriter w = driver.writer("/e/data", true)) {
            assertEquals(0, w.size());
            w.commit();
        }
        assertEquals(0, driver.getContent("/e/data").length);
    }

    @Test
    void writer_appendToPutObject_continuesAfterIt() throws Exception {
        driver.putContent("/p/data", utf8("abc"));
        try (FileWriter w = driver.writer("/p/data", true)) {
            assertEquals(3, w.size());
            w.write(utf8("def"), 0, 3);
            w.commit();
        }
        assertArrayEquals(utf8("abcdef"), driver.getContent("/p/data"));
    }

    @Test
    void writer_uncommittedBytes_neverHalfVisible() throws Exception {
        try (FileWriter w = driver.writer("/u/data", false)) {
            w.write(utf8("kept"), 0, 4);
            w.commit();
            w.write(utf8("maybe"), 0, 5);
        }
        byte[] content = driver.getContent("/u/data");
        assertTrue(java.util.Arrays.equals(utf8("kept"), content) || java.util.Arrays.equals(utf8("keptmaybe"), content),
                "committed bytes survive; uncommitted ones are all there or all gone, got " + new String(content));
        assertEquals(content.length, driver.stat("/u/data").size());
    }

    @Test
    void putContent_overAppendedObject_replacesIt() throws Exception {
        try (FileWriter w = driver.writer("/r/data", false)) {
            w.write(utf8("appended "), 0, 9);
            w.commit();
            w.write(utf8("twice"), 0, 5);
            w.commit();
        }
        driver.putContent("/r/data", utf8("new"));
        assertArrayEquals(utf8("new"), driver.getContent("/r/data"));
        assertEquals(3, driver.stat("/r/data").size());
        driver.delete("/r/data");
        assertFalse(driver.exists("/r/data"));
    }

    @Test
    void move_appendedObject_movesWholeContent() throws Exception {
        try (FileWriter w = driver.writer("/m/upload", false)) {
            w.write(utf8("part1|"), 0, 6);
            w.commit();
        }
        try (FileWriter w = driver.writer("/m/upload", true)) {
            w.write(utf8("part2"), 0, 5);
            w.commit();
        }
        driver.move("/m/upload", "/m/final/data");
        assertArrayEquals(utf8("part1|part2"), driver.getContent("/m/final/data"));
        assertEquals(11, driver.stat("/m/final/data").size());
        assertFalse(driver.exists("/m/upload"));
        assertEquals(List.of("/m/final"), driver.list("/m"));
    }

    @Test
    void list_showsAppendedObjectsOnce() throws Exception {
        try (FileWriter w = driver.writer("/ls/a", false)) {
            w.write(utf8("x"), 0, 1);
            w.commit();
            w.write(utf8("y"), 0, 1);
            w.commit();
        }
        driver.putContent("/ls/b", utf8("z"));
        assertEquals(List.of("/ls/a", "/ls/b"), driver.list("/ls"));
    }

    @Test
    void walk_visitsEveryObjectBelowWithSize() throws Exception {
        driver.putContent("/w/a/1", utf8("1"));
        driver.putContent("/w/a/deep/2", utf8("22"));
        driver.putContent("/w/b", utf8("333"));
        driver.putContent("/wsibling", utf8("no"));
        try (FileWriter w = driver.writer("/w/c/data", false)) {
            w.write(utf8("ab"), 0, 2);
            w.commit();
            w.write(utf8("cd"), 0, 2);
            w.commit();
        }
        Map<String, Long> seen = new TreeMap<>();
        long before = System.currentTimeMillis() - 60_000;
        driver.walk("/w", info -> {
            assertFalse(info.directory());
            assertTrue(info.modifiedAt().toEpochMilli() > before, "modification time of " + info.path());
            assertEquals(null, seen.put(info.path(), info.size()), "visited twice: " + info.path());
        });
        assertEquals(Map.of("/w/a/1", 1L, "/w/a/deep/2", 2L, "/w/b", 3L, "/w/c/data", 4L), seen);
    }

    @Test
    void walk_missingDirectory_visitsNothing() throws Exception {
        List<String> seen = new ArrayList<>();
        driver.walk("/absent", info -> seen.add(info.path()));
        assertEquals(List.of(), seen);
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
