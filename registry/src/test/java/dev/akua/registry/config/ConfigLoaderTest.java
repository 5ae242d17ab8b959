package dev.akua.registry.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void load_noFileNoEnv_isEmbeddedDefaults() {
        RegistryConfig c = loader.load(null, Map.of());
        assertEquals("127.0.0.1", c.http().host());
        assertEquals(5000, c.http().port());
        assertEquals("filesystem", c.storage().driver());
        assertEquals(Path.of("./data"), c.storage().filesystemRoot());
        assertTrue(c.storage().deleteEnabled());
        assertEquals(4 * 1024 * 1024, c.storage().maxManifestBytes());
    }

    @Test
    void load_yamlThenEnv_envWins() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "http:\n  port: 6000\n  host: 0.0.0.0\nstorage:\n  delete:\n    enabled: false\n  pointerTtlSeconds: 2\n");
        RegistryConfig c = loader.load(f, Map.of("AKUA_REGISTRY_HTTP_PORT", "7000", "UNRELATED", "x"));
        assertEquals(7000, c.http().port());
        assertEquals("0.0.0.0", c.http().host());
        assertFalse(c.storage().deleteEnabled());
        assertEquals(Duration.ofSeconds(2), c.storage().pointerTtl());
    }

    @Test
    void load_unknownYamlKey_isRefusedNamingIt() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "http:\n  prot: 6000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(f, Map.of()));
        assertTrue(e.getMessage().contains("http.prot"), e.getMessage());
    }

    @Test
    void load_unknownEnvVariable_isRefused() {
        assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_HTTP_PROT", "1")));
    }

    @Test
    void load_launcherJavaOptions_areNotConfiguration() {
        assertEquals(5000, loader.load(null, Map.of("AKUA_REGISTRY_JAVA_OPTS", "-Xmx1g")).http().port());
    }

    @Test
    void load_badValues_areRefusedWithTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_HTTP_PORT", "x")))
                .getMessage().contains("http.port"));
        assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_HTTP_PORT", "70000")));
        assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_STORAGE_DRIVER", "ftp")));
        assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_STORAGE_DELETE_ENABLED", "maybe")));
        assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_STORAGE_MAXMANIFESTBYTES", "1000")));
        assertThrows(ConfigException.class, () -> loader.load(null, Map.of("AKUA_REGISTRY_HTTP_PUBLICURL", "registry.example.com")));
    }

    @Test
    void load_publicUrl_trailingSlashTrimmed() {
        assertEquals("https://r.example.com",
                loader.load(null, Map.of("AKUA_REGISTRY_HTTP_PUBLICURL", "https://r.example.com/")).http().publicUrl());
    }

    @Test
    void load_malformedYaml_isConfigError() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "http: [\n");
        assertThrows(ConfigException.class, () -> loader.load(f, Map.of()));
        Files.writeString(f, "- a\n- b\n");
        assertThrows(ConfigException.class, () -> loader.load(f, Map.of()));
    }

    @Test
    void envName_isPrefixedUpperSnake() {
        assertEquals("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", ConfigKeys.envName("storage.filesystem.root"));
    }
}
