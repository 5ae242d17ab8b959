package dev.akua.registry.auth;

import dev.akua.registry.auth.cli.CommandResult;
import dev.akua.registry.auth.cli.UserCommands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The users file is compatible with Apache's {@code htpasswd -B} in both directions: hashes the
 * real tool writes log in here, and hashes this CLI writes pass {@code htpasswd -v}.
 * Needs the Debian package apache2-utils.
 */
class HtpasswdInteropTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ExternalTool.require("htpasswd", "apache2-utils");
    }

    private AccessControl accessWith(Path users) {
        return AccessControl.create(AuthConfig.builder(dir).enabled(true).realm(URI.create(AuthFixture.REALM))
                .usersFile(users).build(), new MutableClock(java.time.Instant.parse("2026-11-21T10:00:00Z")));
    }

    @Test
    void issueToken_hashesFromRealHtpasswd_verify() throws Exception {
        ExternalTool.Result alice = ExternalTool.run("htpasswd", "-Bbn", "alice", "s3cret");
        ExternalTool.Result bob = ExternalTool.run("htpasswd", "-Bbn", "-C", "6", "bob", "pässwörd with spaces");
        assertEquals(0, alice.exitCode(), alice.out());
        assertEquals(0, bob.exitCode(), bob.out());
        assertTrue(alice.out().startsWith("alice:$2y$05$"), alice.out());
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, "# made by htpasswd -Bbn\n" + alice.out().strip() + "\n" + bob.out().strip() + "\n");
        try (AccessControl access = accessWith(users)) {
            assertEquals("user:alice", access.issueToken(AuthFixture.basic("alice", "s3cret"), AuthFixture.CLIENT, null, List.of())
                    .orThrow().principal().id());
            assertEquals("user:bob", access.issueToken(AuthFixture.basic("bob", "pässwörd with spaces"), AuthFixture.CLIENT, null,
                    List.of()).orThrow().principal().id());
            assertInstanceOf(TokenDecision.Unauthorized.class,
                    access.issueToken(AuthFixture.basic("alice", "s3cret!"), AuthFixture.CLIENT, null, List.of()));
        }
    }

    @Test
    void issueToken_nonBcryptEntries_neverLogInAndAreReported() throws Exception {
        ExternalTool.Result md5 = ExternalTool.run("htpasswd", "-mbn", "old", "s3cret");
        ExternalTool.Result sha = ExternalTool.run("htpasswd", "-sbn", "older", "s3cret");
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, md5.out().strip() + "\n" + sha.out().strip() + "\n");
        try (AccessControl access = accessWith(users)) {
            assertInstanceOf(TokenDecision.Unauthorized.class,
                    access.issueToken(AuthFixture.basic("old", "s3cret"), AuthFixture.CLIENT, null, List.of()));
            assertInstanceOf(TokenDecision.Unauthorized.class,
                    access.issueToken(AuthFixture.basic("older", "s3cret"), AuthFixture.CLIENT, null, List.of()));
            assertEquals(2, access.userFileProblems().size(), access.userFileProblems().toString());
        }
    }

    @Test
    void userAdd_hashVerifiesWithRealHtpasswd_andKeepsForeignLines() throws Exception {
        Path users = dir.resolve("htpasswd");
        ExternalTool.Result existing = ExternalTool.run("htpasswd", "-Bbn", "zed", "zzz");
        Files.writeString(users, "# keep me\n" + existing.out().strip() + "\n");
        CommandResult r = new UserCommands(users, 10, new SecureRandom()).add("carol", "hunter2 hunter2".toCharArray(), false);
        assertEquals(CommandResult.OK, r.exitCode(), r.err());
        assertTrue(Files.readString(users).contains("carol:$2y$10$"), "default cost 10, $2y$ like htpasswd -B");
        ExternalTool.Result ok = ExternalTool.run("htpasswd", "-vb", users.toString(), "carol", "hunter2 hunter2");
        assertEquals(0, ok.exitCode(), ok.out());
        ExternalTool.Result bad = ExternalTool.run("htpasswd", "-vb", users.toString(), "carol", "hunter3");
        assertTrue(bad.exitCode() != 0, bad.out());
        ExternalTool.Result zed = ExternalTool.run("htpasswd", "-vb", users.toString(), "zed", "zzz");
        assertEquals(0, zed.exitCode(), zed.out());
        assertTrue(Files.readString(users).startsWith("# keep me\n"));
    }
}
