package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.ContentStoresContract;
import dev.akua.registry.storage.driver.StorageDriver;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/** The content stores' contract over the S3 driver and a real S3-compatible server. */
class S3ContentStoresTest extends ContentStoresContract {
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
        return S3Driver.create(server.settings(bucket).prefix("stores-" + PREFIXES.incrementAndGet()).build());
    }
}
