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
}
