package dev.akua.registry.storage;

import dev.akua.registry.storage.driver.FilesystemDriver;
import dev.akua.registry.storage.driver.StorageDriver;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FilesystemMaintenanceTest extends MaintenanceContract {
    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() {
        return new FilesystemDriver(root);
    }
}
