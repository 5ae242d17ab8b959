package dev.akua.registry.feature.s3;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.storage.s3.S3Settings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3StorageConfigTest {
    private static RegistryConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("AKUA_REGISTRY_STORAGE_DRIVER", "s3"));
        env.putAll(extra);
        return new ConfigLoader().load(null, env);
    }

    @Test
    void settings_fromVariables_mapsEveryKey() {
        S3Settings s = S3StorageConfig.settings(config(Map.of(
                "AKUA_REGISTRY_STORAGE_S3_BUCKET", "registry-data",
                "AKUA_REGISTRY_STORAGE_S3_PREFIX", "prod/",
                "AKUA_REGISTRY_STORAGE_S3_ENDPOINT", "http://minio.internal:9000",
                "AKUA_REGISTRY_STORAGE_S3_PATHSTYLE", "true",
                "AKUA_REGISTRY_STORAGE_S3_ACCESSKEYID", "AKIA",
                "AKUA_REGISTRY_STORAGE_S3_SECRETACCESSKEY", "very-secret",
                "AKUA_REGISTRY_STORAGE_S3_PARTSIZEBYTES", String.valueOf(16 << 20),
                "AKUA_REGISTRY_STORAGE_S3_REDIRECT_ENABLED", "true",
                "AKUA_REGISTRY_STORAGE_S3_REDIRECT_TTLSECONDS", "300",
                "AKUA_REGISTRY_STORAGE_S3_CHECKSUMS", "when_required")));
        assertEquals("registry-data", s.bucket());
        assertEquals("prod/", s.prefix());
        assertEquals(Optional.of(URI.create("http://minio.internal:9000")), s.endpoint());
        assertTrue(s.pathStyle());
        assertEquals(Optional.of("AKIA"), s.accessKeyId());
        assertEquals(16 << 20, s.partSize());
        assertTrue(s.redirect());
        assertEquals(Duration.ofMinutes(5), s.redirectTtl());
        assertTrue(s.checksumsWhenRequired());
        assertFalse(s.toString().contains("very-secret"), "the secret never reaches logs");
    }

    @Test
    void settings_defaults_awsChainAndVirtualHosts() {
        S3Settings s = S3StorageConfig.settings(config(Map.of("AKUA_REGISTRY_STORAGE_S3_BUCKET", "b-1")));
        assertEquals(Optional.empty(), s.endpoint());
        assertEquals(Optional.empty(), s.accessKeyId(), "empty credentials use the SDK's default chain");
        assertFalse(s.pathStyle());
        assertEquals(S3Settings.DEFAULT_PART_SIZE, s.partSize());
        assertEquals("us-east-1", s.region());
    }

    @Test
    void settings_invalid_areConfigErrorsNamingTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> S3StorageConfig.settings(config(Map.of())))
                .getMessage().contains("storage.s3.bucket"));
        assertTrue(assertThrows(ConfigException.class, () -> S3StorageConfig.settings(config(Map.of(
                "AKUA_REGISTRY_STORAGE_S3_BUCKET", "b-1", "AKUA_REGISTRY_STORAGE_S3_PARTSIZEBYTES", "1024"))))
                .getMessage().contains("part size"));
        assertTrue(assertThrows(ConfigException.class, () -> S3StorageConfig.settings(config(Map.of(
                "AKUA_REGISTRY_STORAGE_S3_BUCKET", "b-1", "AKUA_REGISTRY_STORAGE_S3_ACCESSKEYID", "only-the-id"))))
                .getMessage().contains("go together"));
        assertTrue(assertThrows(ConfigException.class, () -> S3StorageConfig.settings(config(Map.of(
                "AKUA_REGISTRY_STORAGE_S3_BUCKET", "Not_A_Bucket"))))
                .getMessage().contains("bucket"));
        assertTrue(assertThrows(ConfigException.class, () -> S3StorageConfig.settings(config(Map.of(
                "AKUA_REGISTRY_STORAGE_S3_BUCKET", "b-1", "AKUA_REGISTRY_STORAGE_S3_CHECKSUMS", "always"))))
                .getMessage().contains("storage.s3.checksums"));
    }
}
