package dev.akua.registry.auth.cli;

import dev.akua.registry.auth.AccessControl;
import dev.akua.registry.auth.Action;
import dev.akua.registry.auth.AuthConfig;
import dev.akua.registry.auth.AuthDecision;
import dev.akua.registry.auth.MutableClock;
import dev.akua.registry.auth.Scope;
import dev.akua.registry.oci.RepositoryName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI commands against files a running facade reads at the same time. */
class CliCommandsTest {
    private static final Pattern SECRET = Pattern.compile("^(ak[rp]_[a-z2-7]{16}_[0-9a-f]{64})$", Pattern.MULTILINE);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    final SecureRandom random = new SecureRandom();
    UserCommands users;
    TokenCommands tokens;
    AuthConfig config;

    @BeforeEach
    void setUp() {
        config = AuthConfig.builder(dir).enabled(true).realm(URI.create("http://127.0.0.1:5000/token")).bcryptCost(4)
                .group("release", List.of("alice"))
                .permission("**", Map.of("authenticated", List.of("pull")))
                .permission("team/**", Map.of("group:release", List.of("push", "sign")))
                .build();
        users = new UserCommands(config.usersFile(), config.bcryptCost(), random);
        tokens = new TokenCommands(config.tokensFile(), config.usersFile(), clock, random);
    }

    @Test
    void userAdd_thenRemove_loginFollows() {
        assertEquals(CommandResult.OK, users.add("alice", "pw-1".toCharArray(), false).exitCode());
        try (AccessControl access = AccessControl.create(config, clock)) {
            assertEquals("user:alice", access.issueToken(basic("alice", "pw-1"), "c", null, List.of()).orThrow().principal().id());
            CommandResult again = users.add("alice", "pw-2".toCharArray(), false);
            assertEquals(CommandResult.FAILED, again.exitCode());
            assertTrue(again.err().contains("already exists"));
            assertEquals(CommandResult.OK, users.add("alice", "pw-2".toCharArray(), true).exitCode());
            assertInstanceOf(dev.akua.registry.auth.TokenDecision.Issued.class, access.issueToken(basic("alice", "pw-2"), "c", null, List.of()));
            assertEquals("alice\n", users.list().out());
            assertEquals(CommandResult.OK, users.remove("alice").exitCode());
            assertInstanceOf(dev.akua.registry.auth.TokenDecision.Unauthorized.class,
                    access.issueToken(basic("alice", "pw-2"), "c", null, List.of()), "the running server sees the removal");
            assertEquals(CommandResult.FAILED, users.remove("alice").exitCode());
        }
    }

    @Test
    void userAdd_badInput_usageErrors() {
        assertEquals(CommandResult.USAGE, users.add("al:ice", "pw".toCharArray(), false).exitCode());
        assertEquals(CommandResult.USAGE, users.add("alice", new char[0], false).exitCode());
        assertEquals(CommandResult.USAGE, users.add("alice", "x".repeat(73).toCharArray(), false).exitCode());
        assertEquals(CommandResult.USAGE, new UserCommands(config.usersFile(), 31, random).add("alice", "pw".toCharArray(), false).exitCode());
        assertFalse(Files.exists(config.usersFile()));
    }

    @Test
    void robotCreate_secretShownOnce_worksUntilRevoked() throws Exception {
        CommandResult created = tokens.createRobot("ci", List.of("team/**:push", "team/**:pull"), "30d", "release pipeline");
        assertEquals(CommandResult.OK, created.exitCode(), created.err());
        Matcher m = SECRET.matcher(created.out());
        assertTrue(m.find(), created.out());
        String secret = m.group(1);
        assertTrue(created.out().contains("expires: 2026-12-21T10:00:00Z"), created.out());
        assertFalse(Files.readString(config.tokensFile()).contains(secret.substring(21)), "only the hash is stored");
        CommandResult list = tokens.list();
        assertTrue(list.out().contains("ci") && list.out().contains("active"), list.out());
        assertFalse(list.out().contains(secret.substring(21)));

        Scope push = Scope.repository(RepositoryName.parse("team/app"), Action.PUSH);
        try (AccessControl access = AccessControl.create(config, clock)) {
            assertInstanceOf(AuthDecision.Allowed.class, access.authorize("Bearer " + secret, "c", List.of(push)));
            assertEquals(CommandResult.FAILED, tokens.createRobot("ci", List.of("x/**:pull"), null, null).exitCode(), "name taken");
            CommandResult revoked = tokens.revoke("ci");
            assertEquals(CommandResult.OK, revoked.exitCode());
            assertInstanceOf(AuthDecision.Unauthorized.class, access.authorize("Bearer " + secret, "c", List.of(push)));
            assertTrue(tokens.list().out().contains("revoked"));
            assertEquals(CommandResult.FAILED, tokens.revoke("ci").exitCode());
        }
    }

    @Test
    void robotCreate_expiry_refusedAfterItPasses() {
        String secret = secretOf(tokens.createRobot("nightly", List.of("team/**:pull"), "1h", null));
        Scope pull = Scope.repository(RepositoryName.parse("team/app"), Action.PULL);
        try (AccessControl access = AccessControl.create(config, clock)) {
            assertInstanceOf(AuthDecision.Allowed.class, access.authorize("Bearer " + secret, "c", List.of(pull)));
            clock.advance(Duration.ofHours(1));
            assertInstanceOf(AuthDecision.Unauthorized.class, access.authorize("Bearer " + secret, "c", List.of(pull)));
            assertTrue(tokens.list().out().contains("expired"));
        }
    }

    @Test
    void robotCreate_badArguments_usage() {
        assertEquals(CommandResult.USAGE, tokens.createRobot("CI!", List.of("a/**:pull"), null, null).exitCode());
        assertEquals(CommandResult.USAGE, tokens.createRobot("ci", List.of(), null, null).exitCode());
        assertEquals(CommandResult.USAGE, tokens.createRobot("ci", List.of("a/**:fly"), null, null).exitCode());
        assertEquals(CommandResult.USAGE, tokens.createRobot("ci", List.of("a/**:pull"), "yesterday", null).exitCode());
        assertEquals(CommandResult.USAGE, tokens.createRobot("ci", List.of("a/**:pull"), "2020-01-01", null).exitCode());
        assertTrue(tokens.createRobot("ci", List.of("a/**:pull"), "never", null).out().contains("expires: never"));
    }

    @Test
    void personalCreate_unknownUser_failed_knownUser_actsAsUser() {
        assertEquals(CommandResult.FAILED, tokens.createPersonal("ghost", List.of(), null, null).exitCode());
        users.add("alice", "pw".toCharArray(), false);
        String secret = secretOf(tokens.createPersonal("alice", List.of(), "7d", "laptop"));
        assertTrue(secret.startsWith("akp_"));
        try (AccessControl access = AccessControl.create(config, clock)) {
            var caller = access.authorize("Bearer " + secret, "c",
                    List.of(Scope.repository(RepositoryName.parse("team/app"), Action.PUSH))).orThrow();
            assertEquals("user:alice", caller.principal().id());
        }
    }

    @Test
    void permissionsShow_userRobotAnonymous_effectiveRightsAndRule() {
        users.add("alice", "pw".toCharArray(), false);
        tokens.createRobot("ci", List.of("team/**:push"), null, null);
        try (AccessControl access = AccessControl.create(config, clock)) {
            PermissionCommands cmd = new PermissionCommands(access);
            CommandResult alice = cmd.show("alice", "team/app");
            assertEquals(CommandResult.OK, alice.exitCode(), alice.err());
            assertTrue(alice.out().contains("actions:    push, sign\n"), alice.out());
            assertTrue(alice.out().contains("groups:     release"), alice.out());
            assertTrue(alice.out().contains("permission rule 'team/**'"), alice.out());
            assertTrue(alice.out().contains("immutable:  repositories '**', tags semver"), alice.out());
            CommandResult robot = cmd.show("robot:ci", "team/app");
            assertTrue(robot.out().contains("actions:    push\n"), robot.out());
            CommandResult other = cmd.show("alice", "other/x");
            assertTrue(other.out().contains("actions:    pull\n"), other.out());
            CommandResult anon = cmd.show("anonymous", "other/x");
            assertTrue(anon.out().contains("actions:    (none)"), anon.out());
            assertEquals(CommandResult.FAILED, cmd.show("user:ghost", "x").exitCode());
            assertEquals(CommandResult.USAGE, cmd.show("alice", "Not/Valid").exitCode());
        }
    }

    private static String secretOf(CommandResult r) {
        Matcher m = SECRET.matcher(r.out());
        assertTrue(m.find(), r.out() + r.err());
        return m.group(1);
    }

    private static String basic(String u, String p) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((u + ":" + p).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
