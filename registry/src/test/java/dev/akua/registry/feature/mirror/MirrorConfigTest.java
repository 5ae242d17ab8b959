package dev.akua.registry.feature.mirror;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MirrorConfigTest {
    @TempDir
    Path dir;

    private RegistryConfig load(String yaml) throws Exception {
        Path file = dir.resolve("akua-registry.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, Map.of("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", dir.resolve("data").toString()));
    }

    @Test
    void from_upstreamsAndRules_readWithSecretFromEnvironment() throws Exception {
        MirrorConfig config = MirrorConfig.from(load("""
                mirror:
                  remote:
                    allowPrivate: true
                  upstreams:
                    - name: ghcr
                      url: https://ghcr.io/
                      prefix: mirror/ghcr.io
                      username: bot
                      passwordEnv: GHCR_PASSWORD
                  rules:
                    - name: base
                      upstream: ghcr
                      repositories: [acme/app, "acme/tools/*"]
                      tags: ["v*"]
                      semver: ">=1.2.0 <2"
                      onlySigned: true
                      intervalSeconds: 3600
                """), Map.of("GHCR_PASSWORD", "s3cret")::get);

        assertEquals("https://ghcr.io", config.settings().upstream("ghcr").orElseThrow().url().toString());
        assertEquals("basic(bot, <redacted>)", config.settings().upstream("ghcr").orElseThrow().login().toString());
        assertTrue(config.settings().rule("base").orElseThrow().tags().matches("v1.5.0"));
        assertTrue(!config.settings().rule("base").orElseThrow().tags().matches("v2.0.0"));
        assertEquals(dir.resolve("data").resolve("_mirror/spool"), config.spoolDir());
        assertTrue(config.remote().addressPolicy().allowPrivate());
    }

    @Test
    void from_mistakes_stopTheRegistryNamingThePath() {
        ConfigException unknown = assertThrows(ConfigException.class, () -> MirrorConfig.from(load("""
                mirror:
                  upstreams:
                    - name: a
                      url: https://a.example
                      prefix: mirror/a
                      pulThrough: true
                """), k -> null));
        assertTrue(unknown.getMessage().contains("mirror.upstreams[0]: unknown field 'pulThrough'"), unknown.getMessage());

        ConfigException overlap = assertThrows(ConfigException.class, () -> MirrorConfig.from(load("""
                mirror:
                  upstreams:
                    - { name: a, url: "https://a.example", prefix: mirror }
                    - { name: b, url: "https://b.example", prefix: mirror/b }
                """), k -> null));
        assertTrue(overlap.getMessage().contains("overlaps"), overlap.getMessage());

        ConfigException secret = assertThrows(ConfigException.class, () -> MirrorConfig.from(load("""
                mirror:
                  upstreams:
                    - { name: a, url: "https://a.example", prefix: mirror/a, username: bot, passwordEnv: NOT_SET }
                """), k -> null));
        assertTrue(secret.getMessage().contains("NOT_SET is not set"), secret.getMessage());

        ConfigException rule = assertThrows(ConfigException.class, () -> MirrorConfig.from(load("""
                mirror:
                  rules:
                    - { name: r, upstream: nowhere, repositories: [a] }
                """), k -> null));
        assertTrue(rule.getMessage().contains("mirror.rules[0].upstream"), rule.getMessage());

        ConfigException url = assertThrows(ConfigException.class, () -> MirrorConfig.from(load("""
                mirror:
                  upstreams:
                    - { name: a, url: "https://a.example/v2", prefix: mirror/a }
                """), k -> null));
        assertTrue(url.getMessage().contains("mirror.upstreams[0].url"), url.getMessage());
    }
}
