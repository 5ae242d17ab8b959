package dev.akua.registry.feature.auth;

import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auth subcommands' argument handling, in process (the conformance suite runs them as the jar does). */
class AuthCommandsTest {
    @TempDir
    Path dir;

    record Out(int exit, String out, String err) {
    }

    private RegistryConfig config() {
        return new ConfigLoader().load(null, Map.of("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", dir.toString(),
                "AKUA_REGISTRY_AUTH_BCRYPTCOST", "4"));
    }

    private Out run(dev.akua.registry.cli.CliCommand command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(List.of(args), config(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static UserCommand withStdin(byte[] stdin) {
        return new UserCommand(new ByteArrayInputStream(stdin), () -> null);
    }

    @Test
    void userAdd_passwordStdinFirstLineOnly_storedAsBcrypt() throws Exception {
        Out r = run(withStdin("line one\r\nline two\n".getBytes(StandardCharsets.UTF_8)), "add", "alice", "--password-stdin");
        assertEquals(0, r.exit(), r.err());
        String htpasswd = Files.readString(dir.resolve("auth/htpasswd"));
        assertTrue(htpasswd.startsWith("alice:$2y$04$"), htpasswd);
        assertFalse(htpasswd.contains("line"), "no clear text");
        assertEquals("alice\n", run(withStdin(new byte[0]), "list").out());
        assertEquals(0, run(withStdin(new byte[0]), "remove", "alice").exit());
        assertEquals(1, run(withStdin(new byte[0]), "remove", "alice").exit());
    }

    @Test
    void userAdd_badInput_usageErrors() {
        assertEquals(2, run(withStdin(new byte[]{(byte) 0xff, (byte) 0xfe}), "add", "a", "--password-stdin").exit(), "not UTF-8");
        assertEquals(2, run(withStdin(new byte[5000]), "add", "a", "--password-stdin").exit(), "too long");
        assertEquals(2, run(withStdin("\n".getBytes(StandardCharsets.UTF_8)), "add", "a", "--password-stdin").exit(), "empty");
        Out noTty = run(withStdin(new byte[0]), "add", "a");
        assertEquals(2, noTty.exit());
        assertTrue(noTty.err().contains("--password-stdin"), noTty.err());
        assertEquals(2, run(withStdin(new byte[0]), "add", "a", "--what").exit());
        assertEquals(2, run(withStdin(new byte[0])).exit());
        assertEquals(2, run(withStdin(new byte[0]), "rename", "a").exit());
    }

    @Test
    void token_createListRevoke() {
        TokenCommand tokens = new TokenCommand();
        Out created = run(tokens, "create-robot", "ci", "--scope", "team/**:pull,push", "--scope=ci/**:push", "--expires", "never");
        assertEquals(0, created.exit(), created.err());
        assertTrue(created.out().lines().anyMatch(l -> l.startsWith("akr_")), created.out());
        assertTrue(run(tokens, "list").out().contains("never"));
        assertEquals(0, run(tokens, "revoke", "ci").exit());
        assertTrue(run(tokens, "list").out().contains("revoked"));
        assertEquals(2, run(tokens, "create-robot", "x", "--expires", "yesterday").exit());
        assertEquals(2, run(tokens, "create-robot", "x", "--expires", "1d", "--expires", "2d").exit());
        assertEquals(1, run(tokens, "create-personal", "nobody").exit(), "a personal token needs an existing user");
    }

    @Test
    void permissions_showsDecision() {
        Out r = run(new PermissionsCommand(), "anonymous", "team/app");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("auth is off"), r.out());
        assertTrue(r.out().contains("(no immutable tags)"), r.out());
        assertFalse(Files.exists(dir.resolve("auth/token-signing-key.pem")));
        assertEquals(2, run(new PermissionsCommand(), "anonymous").exit());
        assertEquals(2, run(new PermissionsCommand(), "anonymous", "Bad Repo").exit());
    }
}
