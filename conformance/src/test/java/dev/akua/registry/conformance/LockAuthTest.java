package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Locking through a registry with auth on, against its own repositories: the dependency is read with
 * the caller's own Bearer credentials (a robot or personal token, or a token from {@code /token}), so a caller
 * locks exactly what it may pull. A robot without pull on the repository cannot lock it: the audit
 * log shows the registry's own read refused under that robot's name. Another registry locks against
 * this one with the credentials its {@code lock.registries} names, and is refused without them.
 */
class LockAuthTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;
    static AuthTestRegistry auth;
    static LockFixtures fixtures;
    static KeyPair key;
    static String ci;
    static String outsider;

    @BeforeAll
    static void start() throws Exception {
        auth = AuthTestRegistry.start(root.resolve("registry"), """
                  permissions:
                    - repository: "kcl/**"
                      grants: {"robot:ci": [pull, push], "user:alice": [pull]}
                """, Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"));
        auth.addUser("alice", "s3cret-alice");
        ci = auth.createRobot("ci", "ci-scratch/**:pull");   // its rights on kcl/** come from the rule above
        outsider = auth.createRobot("outsider", "elsewhere/**:pull");
        key = LockFixtures.p256();
        fixtures = new LockFixtures(auth.registry, Files.createDirectories(root.resolve("work")), "Bearer " + ci);
        fixtures.pushKcl("kcl/k8s", "1.0.0", LockFixtures.kclTar("k8s", "1.0.0", "k8s 1.0.0"));
        fixtures.sign("kcl/k8s", "1.0.0", key);
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    private static Http.Resp lock(String authorization) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("manifest", LockFixtures.manifest(true, "k8s = { oci = \"" + fixtures.ref("kcl/k8s") + "\", version = \"1.0.0\" }"));
        body.put("publicKey", LockFixtures.publicKeyPem(key));
        HttpRequest.Builder request = LockFixtures.lockRequest(auth.http, body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return auth.http.send(request);
    }

    private static void assertLocked(Http.Resp r) throws Exception {
        assertEquals(200, r.status(), r::text);
        JsonNode k8s = r.json().get("dependencies").get(0);
        assertEquals(LockFixtures.sha256(LockFixtures.kclTar("k8s", "1.0.0", "k8s 1.0.0")), k8s.get("digest").asText());
        assertEquals(LockFixtures.lockValue(key), k8s.get("signature").asText());
    }

    @Test
    void robotWithPull_locksWithItsOwnToken() throws Exception {
        // anonymous callers may not pull kcl/**, so this only resolves if the robot's token was used
        assertLocked(lock("Bearer " + ci));
    }

    @Test
    void userWithPull_locksWithAPersonalToken() throws Exception {
        assertLocked(lock("Bearer " + auth.createPersonal("alice", "kcl/**:pull")));
    }

    @Test
    void tokenFromTheTokenEndpoint_withPullOnTheRepository_locks() throws Exception {
        String jwt = auth.token("Bearer " + ci, "repository:kcl/k8s:pull");
        assertLocked(lock("Bearer " + jwt));
    }

    @Test
    void robotWithoutPull_cannotLockTheRepository() throws Exception {
        Http.Resp r = lock("Bearer " + outsider);

        r.assertError(422, "DENIED");
        JsonNode error = r.json().get("errors").get(0);
        assertEquals("ACCESS_DENIED", error.path("detail").path("reason").asText(), r::text);
        assertEquals("k8s", error.path("detail").path("dependency").asText(), r::text);
        assertTrue(error.get("message").asText().contains("kcl/k8s"), r::text);
        assertTrue(auth.audit("permission_denied").stream().anyMatch(e -> e.path("principal").asText().equals("robot:outsider")
                && e.path("repository").asText().equals("kcl/k8s")), () -> "the registry read as the caller: " + auth.audit("permission_denied"));
    }

    /** Locks through {@code locker} (another registry, auth off) a dependency living in the auth registry. */
    private static Http.Resp lockThrough(TestRegistry locker) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("manifest", LockFixtures.manifest(true, "k8s = { oci = \"" + fixtures.ref("kcl/k8s") + "\", version = \"1.0.0\" }"));
        body.put("publicKey", LockFixtures.publicKeyPem(key));
        Http http = new Http(locker.base());
        return http.send(LockFixtures.lockRequest(http, body));
    }

    @Test
    void anotherRegistry_withConfiguredCredentials_locksAgainstIt() throws Exception {
        Path tokenFile = Files.writeString(root.resolve("ci.token"), ci + "\n");
        String config = """
                lock:
                  registries:
                    - host: "%s"
                      tokenFile: %s
                """.formatted(auth.hostPort(), tokenFile);
        try (TestRegistry locker = TestRegistry.start(root.resolve("locker"), config, Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"))) {
            assertLocked(lockThrough(locker));
        }
    }

    @Test
    void anotherRegistry_withoutCredentials_isAccessDenied() throws Exception {
        try (TestRegistry locker = TestRegistry.start(root.resolve("anonymous-locker"), "", Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"))) {
            Http.Resp r = lockThrough(locker);
            r.assertError(422, "DENIED");
            assertEquals("ACCESS_DENIED", r.json().get("errors").get(0).path("detail").path("reason").asText(), r::text);
        }
    }
}
