package dev.akua.registry.storage.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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

    @Test
    void localPath_staysUnderRoot() {
        Path p = ((FilesystemDriver) driver).localPath("/blobs/sha256/ab/data");
        assertTrue(p.startsWith(root.toAbsolutePath().normalize()));
    }
}
