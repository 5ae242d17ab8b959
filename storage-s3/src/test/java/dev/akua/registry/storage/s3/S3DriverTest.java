package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.driver.StorageDriverContract;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/** The shared driver contract against a real S3-compatible server; each test gets its own key prefix. */
class S3DriverTest extends StorageDriverContract {
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
        return S3Driver.create(server.settings(bucket).prefix("contract-" + PREFIXES.incrementAndGet()).build());
    }

    @Override
    protected void closeDriver() {
        ((S3Driver) driver).close();
    }
}
