package dev.akua.registry.storage.driver;

class InMemoryDriverTest extends StorageDriverContract {
    @Override
    protected StorageDriver newDriver() {
        return new InMemoryDriver();
    }
}
