package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The permission matrix over HTTP (issue 3 "done when", item 2): action × principal kind ×
 * allowed/denied → status and error code, with the per-object rules: prefix leakage
 * ({@code a/b} vs {@code a/bc} vs {@code a/b/c}), a mount from a repository the caller cannot pull
 * (202 upload, never 201), moving an immutable tag (403 {@code DENIED} naming the rule), rewriting a
 * {@code .sig} tag (allowed), and {@code _catalog} filtered per caller.
 *
 * <pre>
 * a/b        alice: pull push delete
 * team/**    alice: pull push; group release (carol): pull delete; robot ci: pull
 * public/**  anonymous: pull; authenticated: pull push
 * secret/**  bob: pull push
 * admins     root
 * robot ci   own scopes ci/**:pull,push          personal token of alice: a/b:pull
 * </pre>
 * Users get JWTs from {@code /token} with Basic credentials (asking for exactly what the request
 * needs); robots and personal tokens are also sent directly as Bearer, as akua does.
 */
class AuthPermissionMatrixTest {
    @TempDir
    static Path root;
    static AuthTestRegistry auth;
    static AuthHttp seed;
    static String robot;
    static String personal;
    static final List<String> REPOS = List.of("a/b", "a/bc", "a/b/c", "team/app", "public/lib", "secret/vault", "ci/tool");

    enum Who { ANONYMOUS, ALICE, BOB, CAROL, ROOT, ROBOT_DIRECT, ROBOT_VIA_TOKEN, PERSONAL_DIRECT }

    enum Op {
        PULL("pull"), PUSH("push"), DELETE("delete");
        final String action;

        Op(String action) {
            this.action = action;
        }
    }

    record Row(int id, Who who, Op op, String repo, int status, String code) {
        @Override
        public String toString() {
            return who + " " + op + " " + repo + " → " + status + (code == null ? "" : " " + code);
        }
    }

    static final List<Row> ROWS = rows(new Object[][]{
            {Who.ANONYMOUS, Op.PULL, "public/lib", 200},
            {Who.ANONYMOUS, Op.PULL, "team/app", 401},
            {Who.ANONYMOUS, Op.PUSH, "public/lib", 401},
            {Who.ANONYMOUS, Op.DELETE, "public/lib", 401},
            {Who.ALICE, Op.PULL, "a/b", 200},
            {Who.ALICE, Op.PUSH, "a/b", 202},
            {Who.ALICE, Op.DELETE, "a/b", 202},
            {Who.ALICE, Op.PULL, "a/bc", 403},
            {Who.ALICE, Op.PUSH, "a/bc", 403},
            {Who.ALICE, Op.DELETE, "a/bc", 403},
            {Who.ALICE, Op.PULL, "a/b/c", 403},
            {Who.ALICE, Op.PUSH, "a/b/c", 403},
            {Who.ALICE, Op.PULL, "team/app", 200},
            {Who.ALICE, Op.PUSH, "team/app", 202},
            {Who.ALICE, Op.DELETE, "team/app", 403},
            {Who.ALICE, Op.PULL, "secret/vault", 403},
            {Who.ALICE, Op.PUSH, "public/lib", 202},
            {Who.BOB, Op.PULL, "a/b", 403},
            {Who.BOB, Op.PULL, "secret/vault", 200},
            {Who.BOB, Op.PUSH, "secret/vault", 202},
            {Who.BOB, Op.DELETE, "secret/vault", 403},
            {Who.CAROL, Op.PULL, "team/app", 200},
            {Who.CAROL, Op.DELETE, "team/app", 202},
            {Who.CAROL, Op.PUSH, "team/app", 403},
            {Who.ROOT, Op.DELETE, "a/bc", 202},
            {Who.ROOT, Op.PULL, "secret/vault", 200},
            {Who.ROOT, Op.PUSH, "a/b/c", 202},
            {Who.ROBOT_DIRECT, Op.PUSH, "ci/tool", 202},
            {Who.ROBOT_DIRECT, Op.PULL, "team/app", 200},
            {Who.ROBOT_DIRECT, Op.PUSH, "team/app", 403},
            {Who.ROBOT_DIRECT, Op.PULL, "a/b", 403},
            {Who.ROBOT_DIRECT, Op.DELETE, "ci/tool", 403},
            {Who.ROBOT_VIA_TOKEN, Op.PUSH, "ci/tool", 202},
            {Who.ROBOT_VIA_TOKEN, Op.PULL, "secret/vault", 403},
            {Who.PERSONAL_DIRECT, Op.PULL, "a/b", 200},
            {Who.PERSONAL_DIRECT, Op.PUSH, "a/b", 403},
            {Who.PERSONAL_DIRECT, Op.PULL, "team/app", 403},
    });

    private static List<Row> rows(Object[][] table) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < table.length; i++) {
            int status = (Integer) table[i][3];
            String code = switch (status) {
                case 401 -> "UNAUTHORIZED";
                case 403 -> "DENIED";
                default -> null;
            };
            out.add(new Row(i, (Who) table[i][0], (Op) table[i][1], (String) table[i][2], status, code));
        }
        return out;
    }

    static List<Row> rows() {
        return ROWS;
    }

    @BeforeAll
    static void start() {
        auth = AuthTestRegistry.start(root, """
                  groups: {release: [carol]}
                  admins: ["user:root"]
                  permissions:
                    - repository: "a/b"
                      grants: {"user:alice": [pull, push, delete]}
                    - repository: "team/**"
                      grants: {"user:alice": [pull, push], "group:release": [pull, delete], "robot:ci": [pull]}
                    - repository: "public/**"
                      grants: {anonymous: [pull], authenticated: [pull, push]}
                    - repository: "secret/**"
                      grants: {"user:bob": [pull, push]}
                """, Map.of());
        for (String u : List.of("alice", "bob", "carol", "root")) {
            auth.addUser(u, u + "-pw");
        }
        robot = auth.createRobot("ci", "ci/**:pull,push");
        personal = auth.createPersonal("alice", "a/b:pull");
        seed = AuthHttp.bearer(auth.http, auth.createRobot("seed", "**:pull,push,delete"));
        for (String repo : REPOS) {
            seed.pushImage(repo, "latest", repo);
            seed.pushImage(repo, "1.0.0", repo + "-release");
        }
        for (Row r : ROWS) {
            if (r.op() == Op.DELETE) {
                seed.pushImage(r.repo(), "del-" + r.id(), "del-" + r.id());
            }
        }
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    /** The Authorization header {@code who} sends for a request needing {@code scopes}. */
    static String authorization(Who who, String... scopes) {
        return switch (who) {
            case ANONYMOUS -> null;
            case ALICE, BOB, CAROL, ROOT -> {
                String user = who.name().toLowerCase();
                yield "Bearer " + auth.token(AuthTestRegistry.basic(user, user + "-pw"), scopes);
            }
            case ROBOT_DIRECT -> "Bearer " + robot;
            case ROBOT_VIA_TOKEN -> "Bearer " + auth.token(AuthTestRegistry.basic("ci", robot), scopes);
            case PERSONAL_DIRECT -> "Bearer " + personal;
        };
    }

    static AuthHttp as(Who who, String... scopes) {
        return new AuthHttp(auth.http, authorization(who, scopes));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matrix(Row row) {
        AuthHttp client = as(row.who(), "repository:" + row.repo() + ":" + row.op().action);
        Http.Resp r = switch (row.op()) {
            case PULL -> client.get("/v2/" + row.repo() + "/manifests/latest");
            case PUSH -> client.post("/v2/" + row.repo() + "/blobs/uploads/");
            case DELETE -> client.delete("/v2/" + row.repo() + "/manifests/del-" + row.id());
        };
        if (row.code() == null) {
            assertEquals(row.status(), r.status(), () -> row + ": " + r.text());
        } else {
            r.assertError(row.status(), row.code());
        }
        if (row.status() == 401) {
            // the challenge names exactly what is missing, in a form akua can parse
            Map<String, String> c = AkuaAuthClient.parseChallenge(r.header("WWW-Authenticate").orElseThrow());
            assertEquals("repository:" + row.repo() + ":" + row.op().action, c.get("scope"));
            assertEquals("http://" + auth.hostPort() + "/token", c.get("realm"));
        }
        if (row.status() == 403) {
            assertTrue(r.text().contains(row.repo()), () -> "the denial names the repository: " + r.text());
        }
        if (row.op() == Op.DELETE) {
            int after = seed.head("/v2/" + row.repo() + "/manifests/del-" + row.id()).status();
            assertEquals(row.status() == 202 ? 404 : 200, after, "the tag is gone exactly when the delete was allowed");
        }
    }

    @Test
    void mount_sourceCallerCannotPull_isPlainUpload202NotMount() {
        Digest blob = seed.pushBlob("team/app", Oci.utf8("team-only layer"));
        AuthHttp bob = as(Who.BOB, "repository:secret/vault:pull,push", "repository:team/app:pull");
        Http.Resp r = bob.post("/v2/secret/vault/blobs/uploads/?mount=" + blob + "&from=team/app");
        assertEquals(202, r.status(), r::text);
        assertTrue(r.header("Location").orElseThrow().contains("/blobs/uploads/"), "an upload session, not the blob");
        assertEquals(404, bob.head("/v2/secret/vault/blobs/" + blob).status(), "nothing was mounted");
        assertFalse(auth.audit("permission_denied").stream()
                .filter(e -> e.path("repository").asText().equals("team/app") && e.path("principal").asText().equals("user:bob"))
                .toList().isEmpty(), "the refused mount source is audited");

        AuthHttp alice = as(Who.ALICE, "repository:team/app:pull,push", "repository:a/b:pull");
        Digest fromAb = seed.pushBlob("a/b", Oci.utf8("shared layer"));
        Http.Resp ok = alice.post("/v2/team/app/blobs/uploads/?mount=" + fromAb + "&from=a/b");
        assertEquals(201, ok.status(), "a mount from a repository alice may pull: " + ok.text());
        assertEquals(200, alice.head("/v2/team/app/blobs/" + fromAb).status());
    }

    @Test
    void immutableTag_moveOrDelete_deniedNamingTheRule_samePutAllowed() {
        AuthHttp alice = as(Who.ALICE, "repository:team/app:pull,push");
        byte[] current = alice.get("/v2/team/app/manifests/1.0.0").body();
        assertEquals(201, alice.putManifest("team/app", "1.0.0", current).status(), "re-putting the same bytes is not a move");
        byte[] other = alice.image("team/app", "would-move");
        Http.Resp moved = alice.putManifest("team/app", "1.0.0", other).assertError(403, "DENIED");
        String message = moved.json().get("errors").get(0).get("message").asText();
        assertTrue(message.contains("immutable") && message.contains("semver") && message.contains("1.0.0"), message);
        assertEquals(Digest.sha256(current).toString(),
                alice.head("/v2/team/app/manifests/1.0.0").header("Docker-Content-Digest").orElseThrow());

        AuthHttp carol = as(Who.CAROL, "repository:team/app:delete");
        String deleteMessage = carol.delete("/v2/team/app/manifests/1.0.0").assertError(403, "DENIED")
                .json().get("errors").get(0).get("message").asText();
        assertTrue(deleteMessage.contains("immutable"), deleteMessage);
        AuthHttp admin = as(Who.ROOT, "repository:team/app:delete");
        admin.delete("/v2/team/app/manifests/" + Digest.sha256(current)).assertError(403, "DENIED");

        // a non-semver tag moves freely
        assertEquals(201, alice.putManifest("team/app", "latest", other).status());
    }

    @Test
    void sigTag_rewrittenByPusher_allowed() {
        AuthHttp alice = as(Who.ALICE, "repository:team/app:pull,push");
        Digest subject = Digest.parse(alice.head("/v2/team/app/manifests/1.0.0").header("Docker-Content-Digest").orElseThrow());
        String sigTag = subject.tagForm() + ".sig";
        byte[] first = alice.image("team/app", "sig-one");
        byte[] second = alice.image("team/app", "sig-two");
        assertEquals(201, alice.putManifest("team/app", sigTag, first).status());
        assertEquals(201, alice.putManifest("team/app", sigTag, second).status(), "cosign and akua rewrite .sig");
        assertEquals(Digest.sha256(second).toString(), alice.head("/v2/team/app/manifests/" + sigTag)
                .header("Docker-Content-Digest").orElseThrow());
        // but only for those who may push
        as(Who.CAROL, "repository:team/app:push").putManifest("team/app", sigTag, first).assertError(403, "DENIED");
    }

    @Test
    void catalog_listsOnlyWhatTheCallerMayPull() {
        assertEquals(List.of("a/b", "public/lib", "team/app"), catalog(Who.ALICE));
        assertEquals(List.of("public/lib", "secret/vault"), catalog(Who.BOB));
        assertEquals(List.of("public/lib", "team/app"), catalog(Who.CAROL));
        assertEquals(List.of("public/lib"), catalog(Who.ANONYMOUS));
        assertEquals(List.of("ci/tool", "public/lib", "team/app"), catalog(Who.ROBOT_DIRECT));
        assertEquals(REPOS.stream().sorted().toList(), catalog(Who.ROOT));
    }

    private static List<String> catalog(Who who) {
        Http.Resp r = as(who, "registry:catalog:*").get("/v2/_catalog");
        assertEquals(200, r.status(), () -> who + ": " + r.text());
        JsonNode repos = r.json().get("repositories");
        return StreamSupport.stream(repos.spliterator(), false).map(JsonNode::asText).toList();
    }
}
