package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AuthConfig;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth section of the registry configuration, mapped onto the auth module's settings. */
class AuthSettingsTest {
    @TempDir
    Path dir;

    private RegistryConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file, env);
    }

    @Test
    void from_defaults_offWithFilesUnderTheStorageRoot() throws IOException {
        AuthSettings s = AuthSettings.from(load("storage: {filesystem: {root: " + dir + "}}\n", Map.of()));
        AuthConfig c = s.config();
        assertFalse(c.enabled(), "open by default");
        assertEquals(dir.resolve("auth/htpasswd"), c.usersFile());
        assertEquals(dir.resolve("auth/tokens.json"), c.tokensFile());
        assertEquals(dir.resolve("auth/token-signing-key.pem"), c.signingKeyFile());
        assertTrue(c.generateSigningKey());
        assertEquals(Optional.of(dir.resolve("auth/audit.jsonl")), c.auditLog());
        assertEquals(Duration.ofHours(1), c.tokenLifetime());
        assertEquals(List.of(), c.immutableTags(), "open: tags move freely unless rules are configured");
        assertEquals(Optional.empty(), s.realm(), "derived per request");
        assertEquals(URI.create("http://127.0.0.1:5000/token"), s.fallbackRealm());
    }

    @Test
    void from_fullSection_everyKeyMapped() throws IOException {
        AuthSettings s = AuthSettings.from(load("""
                storage: {filesystem: {root: %s}}
                auth:
                  enabled: true
                  realm: https://registry.example.com/token
                  service: reg.example
                  issuer: issuer.example
                  tokenLifetime: 30m
                  signingKey: /etc/akua/key.pem
                  usersFile: /etc/akua/htpasswd
                  tokensFile: /etc/akua/tokens.json
                  bcryptCost: 12
                  auditLog: "off"
                  throttle: {maxFailuresPerAddress: 20, maxFailuresPerUser: 3, window: 90s, maxTracked: 500}
                  groups: {release: [alice, "robot:ci"]}
                  admins: ["user:root"]
                  permissions:
                    - repository: "team/**"
                      grants: {"group:release": [push, sign], anonymous: "pull"}
                  immutableTags:
                    - {repository: "**", tags: semver}
                    - {repository: "scratch/**", tags: none}
                """.formatted(dir), Map.of()));
        AuthConfig c = s.config();
        assertTrue(c.enabled());
        assertEquals(Optional.of(URI.create("https://registry.example.com/token")), s.realm());
        assertEquals("reg.example", c.service());
        assertEquals("issuer.example", c.issuer());
        assertEquals(Duration.ofMinutes(30), c.tokenLifetime());
        assertEquals(Path.of("/etc/akua/key.pem"), c.signingKeyFile());
        assertFalse(c.generateSigningKey(), "a configured key is never generated");
        assertEquals(12, c.bcryptCost());
        assertEquals(Optional.empty(), c.auditLog());
        assertEquals(20, c.throttle().maxFailuresPerAddress());
        assertEquals(Duration.ofSeconds(90), c.throttle().window());
        assertEquals(Map.of("release", List.of("alice", "robot:ci")), c.groups());
        assertEquals(List.of("user:root"), c.admins());
        assertEquals(List.of("push", "sign"), c.permissions().get(0).grants().get("group:release"));
        assertEquals(List.of("pull"), c.permissions().get(0).grants().get("anonymous"));
        assertEquals(2, c.immutableTags().size());
    }

    @Test
    void from_publicUrl_realmFollowsIt() throws IOException {
        AuthSettings s = AuthSettings.from(load("http: {publicUrl: 'https://r.example:8443/'}\n", Map.of()));
        assertEquals(Optional.of(URI.create("https://r.example:8443/token")), s.realm());
    }

    @Test
    void from_envOverrides_scalarKeys() throws IOException {
        AuthSettings s = AuthSettings.from(load("{}\n", Map.of("AKUA_REGISTRY_AUTH_ENABLED", "true",
                "AKUA_REGISTRY_AUTH_TOKENLIFETIME", "7200", "AKUA_REGISTRY_AUTH_THROTTLE_WINDOW", "1h")));
        assertTrue(s.config().enabled());
        assertEquals(Duration.ofHours(2), s.config().tokenLifetime());
        assertEquals(Duration.ofHours(1), s.config().throttle().window());
    }

    @Test
    void from_immutableTags_semverWhenLockedDown_configuredRulesEitherWay() throws IOException {
        assertEquals(List.of(new AuthConfig.ImmutableTags("**", "semver")),
                AuthSettings.from(load("auth: {enabled: true}\n", Map.of())).config().immutableTags());
        assertEquals(List.of(), AuthSettings.from(load("auth: {enabled: true, immutableTags: []}\n", Map.of())).config().immutableTags());
        assertEquals(List.of(new AuthConfig.ImmutableTags("releases/**", "semver")),
                AuthSettings.from(load("auth: {immutableTags: [{repository: 'releases/**', tags: semver}]}\n", Map.of()))
                        .config().immutableTags(), "open, but with rules configured");
    }

    @Test
    void from_invalidSettings_configErrorNamingTheKey() {
        Map<String, String> cases = Map.of(
                "auth: {permissions: [{repository: 'a/**', grant: {alice: [pull]}}]}\n", "auth.permissions[0]",
                "auth: {permissions: {repository: x}}\n", "auth.permissions",
                "auth: {groups: [a, b]}\n", "auth.groups",
                "auth: {tokenLifetime: 2d}\n", "tokenLifetime",
                "auth: {tokenLifetime: soon}\n", "auth.tokenLifetime",
                "auth: {service: 'a,b'}\n", "auth.service",
                "auth: {realm: '/token'}\n", "auth.realm",
                "auth: {immutableTags: [{repository: '**'}]}\n", "auth.immutableTags[0].tags");
        cases.forEach((yaml, expected) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> AuthSettings.from(load(yaml, Map.of())), yaml);
            assertTrue(e.getMessage().contains(expected), yaml + " → " + e.getMessage());
        });
    }

    /** Rules are checked when the access control is built (at server start, before it listens). */
    @Test
    void accessControl_invalidRules_refusedNamingTheKey() {
        Map<String, String> cases = Map.of(
                "auth: {permissions: [{repository: 'a/**', grants: {'user:alice': [fly]}}]}\n", "auth.permissions 'a/**': unknown action 'fly'",
                "auth: {admins: [anonymous]}\n", "auth.admins",
                "auth: {permissions: [{repository: 'a/**', grants: {'team:x': [pull]}}]}\n", "auth.permissions 'a/**': invalid subject 'team:x'",
                "auth: {permissions: [{repository: 'b/**', grants: {alice: [pull]}}]}\n", "auth.permissions 'b/**': invalid subject 'alice'");
        cases.forEach((yaml, expected) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                AuthConfig c = AuthSettings.from(load("storage: {filesystem: {root: " + dir + "}}\n" + yaml, Map.of())).config();
                dev.akua.registry.auth.AccessControl.create(c, java.time.Clock.systemUTC(),
                        dev.akua.registry.auth.audit.AuditLog.discard()).close();
            }, yaml);
            assertTrue(e.getMessage().contains(expected), yaml + " → " + e.getMessage());
        });
    }
}
