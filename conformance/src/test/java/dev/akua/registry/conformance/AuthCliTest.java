package dev.akua.registry.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The auth CLI of the runnable artifact (issue 3, build item 7): {@code akua-registry user …},
 * {@code token …} and {@code permissions …} run as their own JVM with the jar's main class, read
 * the same configuration file as {@code serve}, and a running server sees their changes on its
 * next request (new user, new robot, revocation, removal).
 */
class AuthCliTest {
    @TempDir
    Path work;

    record Run(int exit, String out, String err) {
    }

    private Run cli(Path config, String stdin, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "dev.akua.registry.server.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AKUA_REGISTRY_"));
        Path out = work.resolve("cli.out");
        Path err = work.resolve("cli.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("CLI timed out: " + List.of(args));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String secretOf(Run r) {
        return r.out().lines().filter(l -> l.startsWith("akr_") || l.startsWith("akp_")).findFirst()
                .orElseThrow(() -> new AssertionError("no secret in: " + r.out()));
    }

    @Test
    void cli_usersRobotsPermissions_seenByTheRunningServer() throws Exception {
        Path data = work.resolve("data");
        Path config = work.resolve("akua-registry.yaml");
        Files.writeString(config, """
                storage:
                  filesystem:
                    root: "%s"
                auth:
                  enabled: true
                  bcryptCost: 4
                  permissions:
                    - repository: "ci/**"
                      grants: {"user:alice": [pull]}
                """.formatted(data));

        Run added = cli(config, "pa55-word\n", "user", "add", "alice", "--password-stdin");
        assertEquals(0, added.exit(), added::err);
        assertTrue(added.out().contains("added user alice"), added.out());
        assertTrue(Files.readString(data.resolve("auth/htpasswd")).startsWith("alice:$2y$04$"), "an htpasswd -B entry at the configured cost");
        assertEquals(1, cli(config, "again\n", "user", "add", "alice", "--password-stdin").exit(), "an existing user is not overwritten");
        Run noTerminal = cli(config, null, "user", "add", "bob");
        assertEquals(2, noTerminal.exit());
        assertTrue(noTerminal.err().contains("--password-stdin"), noTerminal.err());
        assertEquals("alice\n", cli(config, null, "user", "list").out());

        Run robot = cli(config, null, "token", "create-robot", "ci", "--scope", "ci/**:pull,push", "--expires", "30d",
                "--description", "release pipeline");
        assertEquals(0, robot.exit(), robot::err);
        String robotSecret = secretOf(robot);
        assertTrue(robotSecret.startsWith("akr_"), robotSecret);
        assertTrue(!Files.readString(data.resolve("auth/tokens.json")).contains(robotSecret.substring(21)), "only a hash is stored");
        String personal = secretOf(cli(config, null, "token", "create-personal", "alice", "--scope", "ci/**:pull"));
        assertTrue(personal.startsWith("akp_"), personal);
        Run list = cli(config, null, "token", "list");
        assertTrue(list.out().contains("robot") && list.out().contains("ci") && list.out().contains("personal")
                && list.out().contains("active"), list.out());

        Run perms = cli(config, null, "permissions", "robot:ci", "ci/tool");
        assertEquals(0, perms.exit(), perms::err);
        assertTrue(perms.out().contains("actions:    pull, push"), perms.out());
        assertTrue(cli(config, null, "permissions", "alice", "other/repo").out().contains("actions:    (none)"));
        assertTrue(!Files.exists(data.resolve("auth/token-signing-key.pem")), "permissions does not create the signing key");
        assertEquals(2, cli(config, null, "token", "frobnicate").exit());
        assertEquals(2, cli(config, null, "permissions", "alice").exit());

        try (TestRegistry registry = TestRegistry.start(data, config, Map.of())) {
            Http http = new Http(registry.base());
            AuthHttp ci = AuthHttp.bearer(http, robotSecret);
            assertEquals(202, ci.post("/v2/ci/tool/blobs/uploads/").status(), "the robot the CLI created can push");
            Http.Resp token = http.get("/token?service=akua-registry&scope=repository:ci/tool:pull",
                    "Authorization", AuthTestRegistry.basic("alice", "pa55-word"));
            assertEquals(200, token.status(), token::text);
            assertEquals(200, AuthHttp.bearer(http, personal).get("/v2/").status(), "the personal token the CLI created works");
            assertEquals(404, AuthHttp.bearer(http, personal).get("/v2/ci/tool/manifests/1.0.0").status(),
                    "allowed to pull (nothing there yet), not 401/403");

            Run revoked = cli(config, null, "token", "revoke", "ci");
            assertEquals(0, revoked.exit(), revoked::err);
            ci.post("/v2/ci/tool/blobs/uploads/").assertError(401, "UNAUTHORIZED");

            assertEquals(0, cli(config, null, "user", "remove", "alice").exit());
            http.get("/token?service=akua-registry", "Authorization", AuthTestRegistry.basic("alice", "pa55-word"))
                    .assertError(401, "UNAUTHORIZED");
        }

        Run help = cli(config, null, "help");
        assertTrue(help.out().contains("user") && help.out().contains("token") && help.out().contains("permissions"), help.out());
    }
}
