package dev.akua.registry.storage.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesystemDriverTest extends StorageDriverContract {
    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() {
        return new FilesystemDriver(root);
    }

    @Test
    void putContent_leavesNoTempFilesBehind() throws Exception {
        driver.putContent("/t/x", new byte[]{1});
        driver.putContent("/t/x", new byte[]{2});
        try (var files = Files.list(root.resolve("t"))) {
            assertEquals(1, files.count());
        }
    }

    /**
     * Uploads resume at any offset and end anywhere, while O_DIRECT takes only whole blocks at
     * block offsets: the writer must split every write into a page-cache head up to the next block,
     * direct blocks and a page-cache tail, and lose or reorder nothing. Same sessions with direct
     * writes off, as the reference.
     */
    @Test
    void writer_directWrites_unalignedResumesAndTails_storeEveryByte() throws Exception {
        int[][] sessions = {{3 * 1024 * 1024 + 100}, {5000, 1024 * 1024, 3 * 4096}, {1, 2 * 1024 * 1024 - 1},
                {4095}, {4097, 7}, {1024 * 1024 + 4096}, {0, 12_345}};
        for (boolean direct : new boolean[]{true, false}) {
            FilesystemDriver fs = new FilesystemDriver(root.resolve(direct ? "direct" : "cached"), direct);
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            java.util.Random random = new java.util.Random(7);
            for (int[] session : sessions) {
                try (FileWriter w = fs.writer("/up/data", true)) {
                    assertEquals(expected.size(), w.size());
                    for (int size : session) {
                        byte[] chunk = new byte[size + 3];
                        random.nextBytes(chunk);
                        w.write(chunk, 3, size); // from an offset into the caller's array, too
                        expected.write(chunk, 3, size);
                    }
                    w.commit();
                }
            }
            assertArrayEquals(expected.toByteArray(), fs.getContent("/up/data"), direct ? "direct" : "cached");
            if (direct && java.util.Set.of("ext4", "xfs", "btrfs").contains(Files.getFileStore(root).type())) {
                assertTrue(fs.directWritesOn(), "this file system takes O_DIRECT; the writer must not have given up on it");
            }
        }
    }

    @Test
    void localPath_staysUnderRoot() {
        Path p = ((FilesystemDriver) driver).localPath("/blobs/sha256/ab/data");
        assertTrue(p.startsWith(root.toAbsolutePath().normalize()));
    }
}
