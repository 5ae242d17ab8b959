package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.MaintenanceContract;
import dev.akua.registry.storage.driver.StorageDriver;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/** Garbage collection, scrub and purge over the S3 driver and a real S3-compatible server. */
class S3MaintenanceTest extends MaintenanceContract {
    static S3TestServer server;
    static String bucket;
    static final AtomicInteger PREFIXES = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.shared();
        bucket = server.createBucket();
    }

    @Override
    protected StorageDriver newDriver() {
        return S3Driver.create(server.settings(bucket).prefix("maintenance-" + PREFIXES.incrementAndGet()).build());
    }
}
