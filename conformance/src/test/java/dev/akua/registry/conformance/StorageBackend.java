package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.storage.s3.S3TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which storage the black-box suites run against: the filesystem (the default) or, with
 * {@code -Dakua.conformance.storage=s3} (the {@code conformance-s3} surefire execution), an S3
 * bucket on the shared s3proxy test server. A test's storage root names its bucket, so a registry
 * restarted on the same root finds the same data, as on a disk.
 */
public final class StorageBackend {
    private StorageBackend() {
    }

    public static boolean isS3() {
        return "s3".equals(System.getProperty("akua.conformance.storage", "filesystem"));
    }

    /** Extra {@code AKUA_REGISTRY_*} settings for a registry storing "under" {@code root}. */
    public static Map<String, String> env(Path root) {
        if (!isS3()) {
            return Map.of();
        }
        try {
            S3TestServer server = S3TestServer.shared();
            String bucket = bucket(root);
            server.ensureBucket(bucket);
            return server.registryEnv(bucket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the S3 test server", e);
        }
    }

    /**
     * The directory where the objects of a registry storing "under" {@code root} are plain files, for
     * tests that look at what was written: {@code root/data} on the filesystem, the bucket's directory
     * of the s3proxy filesystem backend in the S3 run.
     */
    public static Path files(Path root) {
        if (!isS3()) {
            return root.resolve("data");
        }
        try {
            return S3TestServer.shared().objectFile(bucket(root), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the S3 test server", e);
        }
    }

    private static String bucket(Path root) {
        return "conf-" + Digest.sha256(root.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 20);
    }
}
