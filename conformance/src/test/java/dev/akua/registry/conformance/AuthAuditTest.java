package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log over a real server (issue 3 "done when", item 4): one JSON line per push, tag
 * move, delete, token issue, failed login and permission denial, with who, what, digest, client
 * address and time; and the {@link AuditTrail} service other features record into.
 */
class AuthAuditTest {
    @TempDir
    Path root;
    AuthTestRegistry auth;
    AuthHttp alice;

    @BeforeEach
    void start() {
        auth = AuthTestRegistry.start(root, """
                  permissions:
                    - repository: "audit/**"
                      grants: {"user:alice": [pull, push, delete]}
                """, Map.of());
        auth.addUser("alice", "alice-pw");
        alice = AuthHttp.bearer(auth.http, auth.token(AuthTestRegistry.basic("alice", "alice-pw"), "repository:audit/app:pull,push,delete"));
    }

    @AfterEach
    void stop() {
        auth.close();
    }

    private JsonNode only(String event, String reference) {
        List<JsonNode> matching = auth.audit(event).stream().filter(e -> e.path("reference").asText().equals(reference)).toList();
        assertEquals(1, matching.size(), () -> event + " " + reference + " in " + auth.audit());
        JsonNode e = matching.get(0);
        assertEquals("127.0.0.1", e.get("client").asText());
        Instant at = Instant.parse(e.get("time").asText());
        assertTrue(at.isAfter(Instant.now().minusSeconds(120)) && !at.isAfter(Instant.now()), "time " + at);
        return e;
    }

    @Test
    void pushAndTagMove_entriesNameWhoWhatDigest() {
        Digest first = alice.pushImage("audit/app", "latest", "one");
        JsonNode push = only("push", "latest");
        assertEquals("user:alice", push.get("principal").asText());
        assertEquals("audit/app", push.get("repository").asText());
        assertEquals(first.toString(), push.get("digest").asText());
        // the blobs of the image were audited as pushes too (reference = their digest)
        assertEquals(3, auth.audit("push").size(), () -> auth.audit("push").toString());

        Digest second = alice.pushImage("audit/app", "latest", "two");
        JsonNode move = only("tag_move", "latest");
        assertEquals(first.toString(), move.get("previous_digest").asText());
        assertEquals(second.toString(), move.get("digest").asText());
        assertEquals("user:alice", move.get("principal").asText());
    }

    @Test
    void deletes_tagManifestBlob_eachAudited() {
        Digest tagged = alice.pushImage("audit/app", "gone", "del-tag");
        assertEquals(202, alice.delete("/v2/audit/app/manifests/gone").status());
        assertEquals(tagged.toString(), only("delete", "gone").get("digest").asText());

        Digest manifest = alice.pushImage("audit/app", "other", "del-manifest");
        assertEquals(202, alice.delete("/v2/audit/app/manifests/" + manifest).status());
        assertEquals("user:alice", only("delete", manifest.toString()).get("principal").asText());
        only("delete", "other"); // the tag that went with it

        Digest blob = alice.pushBlob("audit/app", Oci.utf8("loose blob"));
        assertEquals(202, alice.delete("/v2/audit/app/blobs/" + blob).status());
        assertEquals("audit/app", only("delete", blob.toString()).get("repository").asText());
    }

    @Test
    void tokenIssueAndFailedLogins_audited() {
        List<JsonNode> issued = auth.audit("token_issue");
        assertEquals(1, issued.size(), issued::toString);
        assertEquals("user:alice", issued.get(0).get("principal").asText());
        assertEquals("repository:audit/app:pull,push,delete", issued.get(0).get("detail").asText());

        assertEquals(401, auth.tokenResponse(AuthTestRegistry.basic("alice", "pw-GUESS-1")).status());
        assertEquals(401, auth.tokenResponse(AuthTestRegistry.basic("mallory", "pw-GUESS-2")).status());
        String robot = auth.createRobot("ci", "audit/**:pull");
        String badSecret = robot.substring(0, robot.length() - 1) + (robot.endsWith("0") ? "1" : "0");
        assertEquals(401, AuthHttp.bearer(auth.http, badSecret).get("/v2/audit/app/tags/list").status());

        List<JsonNode> failed = auth.audit("login_failed");
        assertEquals(List.of("user:alice", "user:mallory", "token:" + robot.substring(4, 20)),
                failed.stream().map(e -> e.get("principal").asText()).toList());
        for (JsonNode f : failed) {
            assertEquals("127.0.0.1", f.get("client").asText());
            assertFalse(f.toString().contains("GUESS") || f.toString().contains(badSecret.substring(20)),
                    "no secret in the audit log: " + f);
        }
    }

    @Test
    void permissionDenied_audited() {
        auth.addUser("bob", "bob-pw");
        AuthHttp bob = AuthHttp.bearer(auth.http, auth.token(AuthTestRegistry.basic("bob", "bob-pw"), "repository:audit/app:push"));
        bob.post("/v2/audit/app/blobs/uploads/").assertError(403, "DENIED");
        List<JsonNode> denied = auth.audit("permission_denied");
        assertEquals(1, denied.size(), denied::toString);
        assertEquals("user:bob", denied.get(0).get("principal").asText());
        assertEquals("audit/app", denied.get(0).get("repository").asText());
        assertTrue(denied.get(0).get("detail").asText().contains("push"), denied.get(0).toString());
    }

    @Test
    void auditTrailService_featureEventsInTheSameLog() {
        AuditTrail trail = auth.registry.server().context().service(AuditTrail.class).orElseThrow();
        trail.record("sign", new Caller("robot:release", false, "192.0.2.9", null), "audit/app",
                Digest.sha256(Oci.utf8("x")).toString(), Map.of("keyId", "release-2026"));
        trail.record("login_failed", Caller.anonymous("192.0.2.9"), null, null, Map.of()); // imitation: dropped
        List<JsonNode> signed = auth.audit("sign");
        assertEquals(1, signed.size(), () -> auth.audit().toString());
        assertEquals("robot:release", signed.get(0).get("principal").asText());
        assertEquals("192.0.2.9", signed.get(0).get("client").asText());
        assertEquals("release-2026", signed.get(0).get("attributes").get("keyId").asText());
        assertEquals(0, auth.audit("login_failed").size(), "a feature cannot write a login_failed line");
    }
}
