package dev.akua.registry.feature.lock;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockSettingsTest {

    static LockSettings settings(Map<String, String> env) {
        RegistryConfig config = new ConfigLoader().load(null, env);
        return LockSettings.from(config);
    }

    @Test
    void from_defaults_publicAddressesOnlyAndAkuasTimeouts() throws Exception {
        LockSettings s = settings(Map.of());
        assertTrue(s.enabled());
        assertFalse(s.remote().addressPolicy().permits(InetAddress.getByName("127.0.0.1")));
        assertFalse(s.remote().addressPolicy().permits(InetAddress.getByName("10.0.0.1")));
        assertFalse(s.remote().addressPolicy().permits(InetAddress.getByName("169.254.169.254")));
        assertTrue(s.remote().addressPolicy().permits(InetAddress.getByName("140.82.112.3")));
        assertEquals(Duration.ofSeconds(60), s.remote().totalTimeout());
        assertEquals(64L << 20, s.helmLimits().maxIndexBytes());
        assertEquals(32L << 20, s.helmLimits().maxChartBytes());
        assertEquals(1 << 20, s.maxRequestBytes());
        assertTrue(s.trustedKeys().isEmpty());
    }

    @Test
    void from_environment_opensExactlyWhatIsConfigured() throws Exception {
        LockSettings s = settings(Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true",
                "AKUA_REGISTRY_LOCK_REMOTE_ALLOWEDCIDRS", "10.1.2.0/24, fd00::/8",
                "AKUA_REGISTRY_LOCK_REMOTE_TOTALTIMEOUTSECONDS", "5",
                "AKUA_REGISTRY_LOCK_HELM_MAXINDEXBYTES", "1000"));
        assertTrue(s.remote().addressPolicy().permits(InetAddress.getByName("127.0.0.1")));
        assertTrue(s.remote().addressPolicy().permits(InetAddress.getByName("10.1.2.9")));
        assertFalse(s.remote().addressPolicy().permits(InetAddress.getByName("10.1.3.9")));
        assertTrue(s.remote().addressPolicy().permits(InetAddress.getByName("fd00::1")));
        assertFalse(s.remote().addressPolicy().permits(InetAddress.getByName("169.254.169.254")));
        assertEquals(Duration.ofSeconds(5), s.remote().totalTimeout());
        assertEquals(1000, s.helmLimits().maxIndexBytes());
    }

    @Test
    void from_badValues_configErrorsNamingTheKey(@TempDir Path dir) throws Exception {
        assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWEDCIDRS", "example.com/8")))
                .getMessage().contains("lock.remote.allowedCidrs"));
        assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("AKUA_REGISTRY_LOCK_REMOTE_CONNECTTIMEOUTSECONDS", "0")))
                .getMessage().contains("lock.remote.connectTimeoutSeconds"));
        assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("AKUA_REGISTRY_LOCK_REMOTE_MAXREDIRECTS", "99")))
                .getMessage().contains("lock.remote"));
        assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("AKUA_REGISTRY_LOCK_API_MAXCONCURRENT", "0")))
                .getMessage().contains("lock.api.maxConcurrent"));
        assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("AKUA_REGISTRY_LOCK_TRUSTEDKEYS", dir.resolve("missing.pub").toString())))
                .getMessage().contains("lock.trustedKeys"));
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pub"), "hello");
        assertTrue(assertThrows(ConfigException.class, () -> settings(Map.of("AKUA_REGISTRY_LOCK_TRUSTEDKEYS", notAKey.toString())))
                .getMessage().contains("not a usable public key"));
    }

    static LockSettings fromYaml(Path dir, String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("akua-registry.yaml"), yaml);
        return LockSettings.from(new ConfigLoader().load(file, Map.of()));
    }

    @Test
    void from_lockRegistries_credentialsPerHost(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("t"), "akr_secret\n");
        LockSettings s = fromYaml(dir, """
                lock:
                  registries:
                    - host: GHCR.io
                      tokenFile: %s
                    - host: "registry.example:5000"
                """.formatted(token));
        assertEquals(2, s.registryLogins().size());
        assertFalse(s.registryLogins().get("ghcr.io").isAnonymous(), "host names are matched in lower case");
        assertTrue(s.registryLogins().get("registry.example:5000").isAnonymous());
        assertFalse(s.registryLogins().toString().contains("akr_secret"), "secrets are never printed");
    }

    @Test
    void from_badLockRegistries_configErrorsNamingTheEntry(@TempDir Path dir) {
        assertTrue(assertThrows(ConfigException.class, () -> fromYaml(dir, "lock:\n  registries:\n    - host: https://ghcr.io\n"))
                .getMessage().startsWith("lock.registries[0].host"));
        assertTrue(assertThrows(ConfigException.class, () -> fromYaml(dir, "lock:\n  registries:\n    - host: ghcr.io\n      password: x\n"))
                .getMessage().contains("unknown field 'password'"));
        assertTrue(assertThrows(ConfigException.class, () -> fromYaml(dir, "lock:\n  registries:\n    - host: ghcr.io\n    - host: GHCR.IO\n"))
                .getMessage().contains("configured twice"));
        assertTrue(assertThrows(ConfigException.class, () -> fromYaml(dir,
                "lock:\n  registries:\n    - host: ghcr.io\n      username: bot\n")).getMessage().contains("a username needs passwordEnv"));
    }
}
