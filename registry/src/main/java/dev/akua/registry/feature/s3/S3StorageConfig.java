package dev.akua.registry.feature.s3;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.storage.s3.S3Driver;
import dev.akua.registry.storage.s3.S3Settings;

import java.net.URI;

/**
 * {@code storage.driver: s3}: the {@code storage.s3.*} keys turned into the driver's settings.
 * Every replica of a registry points at the same bucket and prefix; see docs/storage.md.
 */
public final class S3StorageConfig {
    private S3StorageConfig() {
    }

    public static S3Settings settings(RegistryConfig config) {
        String bucket = config.value("storage.s3.bucket").trim();
        if (bucket.isEmpty()) {
            throw new ConfigException("storage.driver is s3 but storage.s3.bucket is not set");
        }
        try {
            S3Settings.Builder b = S3Settings.builder(bucket)
                    .prefix(config.value("storage.s3.prefix").trim())
                    .region(config.value("storage.s3.region").trim())
                    .pathStyle(config.boolValue("storage.s3.pathStyle"))
                    .credentials(config.value("storage.s3.accessKeyId").trim(), config.value("storage.s3.secretAccessKey"))
                    .partSize(config.intValue("storage.s3.partSizeBytes"))
                    .maxAttempts(config.intValue("storage.s3.maxAttempts"))
                    .timeouts(config.seconds("storage.s3.connectTimeoutSeconds"), config.seconds("storage.s3.socketTimeoutSeconds"))
                    .redirect(config.boolValue("storage.s3.redirect.enabled"), config.seconds("storage.s3.redirect.ttlSeconds"))
                    .checksumsWhenRequired(checksums(config.value("storage.s3.checksums")));
            String endpoint = config.value("storage.s3.endpoint").trim();
            if (!endpoint.isEmpty()) {
                b.endpoint(URI.create(endpoint));
            }
            String redirectEndpoint = config.value("storage.s3.redirect.endpoint").trim();
            if (!redirectEndpoint.isEmpty()) {
                b.redirectEndpoint(URI.create(redirectEndpoint));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage.s3: " + e.getMessage(), e);
        }
    }

    private static boolean checksums(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "when_supported" -> false;
            case "when_required" -> true;
            default -> throw new ConfigException("storage.s3.checksums must be when_supported or when_required, not '" + value + "'");
        };
    }

    public static S3Driver driver(RegistryConfig config) {
        return S3Driver.create(settings(config));
    }
}
