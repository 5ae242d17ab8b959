package dev.akua.registry.auth;

import dev.akua.registry.auth.principal.ApiToken;
import dev.akua.registry.auth.principal.ApiTokenStore;
import dev.akua.registry.auth.principal.Passwords;
import dev.akua.registry.auth.principal.UserFileEditor;
import dev.akua.registry.auth.permission.PatternGrant;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A locked-down registry configuration with one principal of each kind, built in a temporary
 * directory. bcrypt cost 4 keeps the tests fast (cost does not change what is checked).
 *
 * <pre>
 * users:  alice (group release), bob, carol (global admin), dave (no grants)
 * rules:  **            authenticated: pull
 *         team/**       user:alice: pull, push, delete; group:release: sign; robot:ci: pull
 *         a/b           user:bob: pull, push
 *         public/**     anonymous: pull; authenticated: pull, push
 *         secret/**     user:alice: pull
 * robot:  ci            own scopes team/**:push   (policy adds pull on team/**)
 * immutable: ** semver; scratch/** none
 * </pre>
 */
final class AuthFixture {
    static final String REALM = "http://127.0.0.1:5000/token";
    static final String SERVICE = "akua-registry";
    static final String PASSWORD = "correct horse";
    static final String CLIENT = "192.0.2.10";

    final Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    final SecureRandom random = new SecureRandom();
    String robotSecret;
    String personalSecret;
    String personalLimitedSecret;

    AuthFixture(Path dir) {
        this.dir = dir;
        UserFileEditor users = new UserFileEditor(usersFile());
        Passwords passwords = new Passwords(random);
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            users.put(u, passwords.hash(PASSWORD.toCharArray(), 4), false);
        }
        ApiTokenStore tokens = new ApiTokenStore(tokensFile(), clock, random);
        robotSecret = tokens.create(ApiToken.Kind.ROBOT, "ci", List.of(PatternGrant.parse("team/**:push")),
                Optional.of(clock.instant().plusSeconds(86400 * 30)), "release pipeline").secret();
        personalSecret = tokens.create(ApiToken.Kind.PERSONAL, "alice", List.of(), Optional.empty(), "laptop").secret();
        personalLimitedSecret = tokens.create(ApiToken.Kind.PERSONAL, "alice", List.of(PatternGrant.parse("team/**:pull")),
                Optional.empty(), "read-only").secret();
    }

    Path usersFile() {
        return dir.resolve("auth/htpasswd");
    }

    Path tokensFile() {
        return dir.resolve("auth/tokens.json");
    }

    Path auditFile() {
        return dir.resolve("auth/audit.jsonl");
    }

    AuthConfig.Builder config() {
        return AuthConfig.builder(dir)
                .enabled(true)
                .realm(URI.create(REALM))
                .bcryptCost(4)
                .group("release", List.of("alice"))
                .admin("user:carol")
                .permission("**", java.util.Map.of("authenticated", List.of("pull")))
                .permission("team/**", java.util.Map.of(
                        "user:alice", List.of("pull", "push", "delete"),
                        "group:release", List.of("sign"),
                        "robot:ci", List.of("pull")))
                .permission("a/b", java.util.Map.of("user:bob", List.of("pull", "push")))
                .permission("public/**", java.util.Map.of("anonymous", List.of("pull"), "authenticated", List.of("pull", "push")))
                .permission("secret/**", java.util.Map.of("user:alice", List.of("pull")))
                .immutableTags(List.of(new AuthConfig.ImmutableTags("**", "semver"), new AuthConfig.ImmutableTags("scratch/**", "none")));
    }

    AccessControl open() {
        return AccessControl.create(config().build(), clock);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A JWT for {@code user} with the given scopes, through the token endpoint. */
    static String jwt(AccessControl access, String authorization, String... scopes) {
        return access.issueToken(authorization, CLIENT, SERVICE, List.of(scopes)).orThrow().token();
    }
}
