package dev.akua.registry.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthConfigTest {
    @TempDir
    Path dir;

    @Test
    void builder_defaults_openWithFilesUnderData() {
        AuthConfig c = AuthConfig.builder(dir).build();
        assertFalse(c.enabled());
        assertEquals("akua-registry", c.service());
        assertEquals(dir.resolve("auth/htpasswd"), c.usersFile());
        assertEquals(dir.resolve("auth/tokens.json"), c.tokensFile());
        assertEquals(dir.resolve("auth/token-signing-key.pem"), c.signingKeyFile());
        assertTrue(c.generateSigningKey());
        assertEquals(java.util.Optional.of(dir.resolve("auth/audit.jsonl")), c.auditLog());
        assertEquals(java.time.Duration.ofHours(1), c.tokenLifetime());
        assertEquals(10, c.bcryptCost());
        assertEquals(List.of(new AuthConfig.ImmutableTags("**", "semver")), c.immutableTags());
    }

    @Test
    void create_typoInRulesEvenWithAuthOff_namedError() {
        AuthConfig bad = AuthConfig.builder(dir).permission("team/**", Map.of("user:alice", List.of("pul"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessControl.create(bad, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("unknown action 'pul'"), e.getMessage());
        AuthConfig badSubject = AuthConfig.builder(dir).permission("**", Map.of("everyone", List.of("pull"))).build();
        assertThrows(IllegalArgumentException.class, () -> AccessControl.create(badSubject, Clock.systemUTC()));
        AuthConfig broadAdmin = AuthConfig.builder(dir).admin("anonymous").build();
        assertThrows(IllegalArgumentException.class, () -> AccessControl.create(broadAdmin, Clock.systemUTC()));
    }

    @Test
    void create_configuredSigningKeyMissing_errorNotGenerated() {
        Path key = dir.resolve("shared/key.pem");
        AuthConfig c = AuthConfig.builder(dir).enabled(true).realm(URI.create("http://127.0.0.1:5000/token")).signingKeyFile(key).build();
        assertThrows(UncheckedIOException.class, () -> AccessControl.create(c, Clock.systemUTC()));
        assertFalse(Files.exists(key), "a configured key is never generated: replicas must share one");
    }

    @Test
    void create_lockedWithoutRules_authenticatedMayPullAndPush() throws Exception {
        AuthConfig c = AuthConfig.builder(dir).enabled(true).realm(URI.create("http://127.0.0.1:5000/token")).build();
        new dev.akua.registry.auth.cli.UserCommands(c.usersFile(), 4, new java.security.SecureRandom()).add("u", "pw".toCharArray(), false);
        try (AccessControl access = AccessControl.create(c, Clock.systemUTC())) {
            var e = access.effectivePermissions(Principal.user("u"), dev.akua.registry.oci.RepositoryName.parse("any/repo"));
            assertEquals(java.util.EnumSet.of(Action.PULL, Action.PUSH), e.actions());
            var anon = access.effectivePermissions(Principal.anonymous(), dev.akua.registry.oci.RepositoryName.parse("any/repo"));
            assertTrue(anon.actions().isEmpty());
        }
    }
}
