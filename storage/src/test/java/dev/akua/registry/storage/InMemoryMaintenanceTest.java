package dev.akua.registry.storage;

import dev.akua.registry.storage.driver.InMemoryDriver;
import dev.akua.registry.storage.driver.StorageDriver;

class InMemoryMaintenanceTest extends MaintenanceContract {
    @Override
    protected StorageDriver newDriver() {
        return new InMemoryDriver();
    }
}
