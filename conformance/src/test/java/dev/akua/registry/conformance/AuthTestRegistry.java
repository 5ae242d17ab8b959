package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.auth.cli.CommandResult;
import dev.akua.registry.auth.cli.TokenCommands;
import dev.akua.registry.auth.cli.UserCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real registry with auth on: a YAML file holding the {@code auth:} section (rules, groups,
 * admins), users and robots written to the same files the CLI edits (through the auth module's
 * command classes, with bcrypt cost 4 to keep tests fast), and readers for the audit log.
 */
final class AuthTestRegistry implements AutoCloseable {
    static final String SERVICE = "akua-registry";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Path root;
    final TestRegistry registry;
    final Http http;

    private AuthTestRegistry(Path root, TestRegistry registry) {
        this.root = root;
        this.registry = registry;
        this.http = new Http(registry.base());
    }

    /**
     * @param authYaml lines under {@code auth:} (indented by two spaces), besides {@code enabled: true} and the bcrypt cost
     * @param env      extra settings as {@code AKUA_REGISTRY_*} variables
     */
    static AuthTestRegistry start(Path root, String authYaml, Map<String, String> env) {
        try {
            Files.createDirectories(root);
            Path config = root.resolve("akua-registry.yaml");
            Files.writeString(config, "auth:\n  enabled: true\n  bcryptCost: 4\n" + authYaml);
            Map<String, String> all = new HashMap<>(env);
            all.putIfAbsent("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", root.resolve("data").toString());
            return new AuthTestRegistry(root, TestRegistry.start(root.resolve("data"), config, all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path authDir() {
        return root.resolve("data/auth");
    }

    void addUser(String name, String password) {
        CommandResult r = new UserCommands(authDir().resolve("htpasswd"), 4, new SecureRandom())
                .add(name, password.toCharArray(), false);
        assertEquals(0, r.exitCode(), r::err);
    }

    /** Creates a robot with its own scopes ({@code glob:actions}) and returns its secret. */
    String createRobot(String name, String... scopes) {
        return secretOf(tokens().createRobot(name, List.of(scopes), "30d", "test robot"));
    }

    String createPersonal(String user, String... scopes) {
        return secretOf(tokens().createPersonal(user, List.of(scopes), "30d", "test token"));
    }

    void revoke(String idOrRobot) {
        CommandResult r = tokens().revoke(idOrRobot);
        assertEquals(0, r.exitCode(), r::err);
    }

    private TokenCommands tokens() {
        return new TokenCommands(authDir().resolve("tokens.json"), authDir().resolve("htpasswd"), Clock.systemUTC(), new SecureRandom());
    }

    private static String secretOf(CommandResult r) {
        assertEquals(0, r.exitCode(), r::err);
        return r.out().lines().filter(l -> l.startsWith("akr_") || l.startsWith("akp_")).findFirst()
                .orElseThrow(() -> new AssertionError("no secret in: " + r.out()));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A JWT from {@code GET /token} for these scopes, obtained with {@code authorization} (Basic or a robot Bearer). */
    String token(String authorization, String... scopes) {
        Http.Resp r = tokenResponse(authorization, scopes);
        assertEquals(200, r.status(), r::text);
        return r.json().get("token").asText();
    }

    Http.Resp tokenResponse(String authorization, String... scopes) {
        StringBuilder q = new StringBuilder("/token?service=" + SERVICE);
        for (String s : scopes) {
            q.append("&scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return authorization == null ? http.get(q.toString()) : http.get(q.toString(), "Authorization", authorization);
    }

    /** Every audit line so far, parsed. */
    List<JsonNode> audit() {
        List<JsonNode> out = new ArrayList<>();
        Path file = authDir().resolve("audit.jsonl");
        try {
            if (!Files.exists(file)) {
                return out;
            }
            for (String line : Files.readAllLines(file)) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The audit lines of one event kind. */
    List<JsonNode> audit(String event) {
        return audit().stream().filter(e -> e.path("event").asText().equals(event)).toList();
    }

    String hostPort() {
        return registry.hostPort();
    }

    int port() {
        return registry.port();
    }

    @Override
    public void close() {
        registry.close();
    }
}
