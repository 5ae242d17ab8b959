package dev.akua.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.akua.registry.auth.audit.AuditEvent;
import dev.akua.registry.auth.audit.JsonLinesAuditLog;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per audited event kind, read back from the JSON-lines file the facade writes. */
class AuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Digest D1 = Digest.sha256("one".getBytes(StandardCharsets.UTF_8));
    private static final Digest D2 = Digest.sha256("two".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;
    AuthFixture fixture;
    AccessControl access;

    @BeforeEach
    void setUp() {
        fixture = new AuthFixture(dir);
        access = fixture.open();
    }

    @AfterEach
    void tearDown() {
        access.close();
    }

    private List<JsonNode> entries() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(fixture.auditFile())) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private JsonNode only(String event) throws Exception {
        List<JsonNode> matching = entries().stream().filter(e -> e.get("event").asText().equals(event)).toList();
        assertEquals(1, matching.size(), () -> "entries: " + matching);
        JsonNode e = matching.get(0);
        assertEquals(fixture.clock.instant().toString(), e.get("time").asText());
        return e;
    }

    private Caller alice(String... scopes) {
        String jwt = AuthFixture.jwt(access, AuthFixture.basic("alice", AuthFixture.PASSWORD), scopes);
        return access.authorize("Bearer " + jwt, "192.0.2.50", List.of()).orThrow();
    }

    @Test
    void issueToken_success_tokenIssueEntry() throws Exception {
        access.issueToken(AuthFixture.basic("alice", AuthFixture.PASSWORD), "192.0.2.1", null,
                List.of("repository:team/app:pull,push repository:a/b:pull")).orThrow();
        JsonNode e = only("token_issue");
        assertEquals("user:alice", e.get("principal").asText());
        assertEquals("192.0.2.1", e.get("client").asText());
        assertEquals("repository:team/app:pull,push", e.get("detail").asText());
    }

    @Test
    void issueToken_wrongPassword_loginFailedEntry() throws Exception {
        String forging = "bob\"},{\"event\"=\"push";
        access.issueToken(AuthFixture.basic(forging, "nope"), "192.0.2.2", null, List.of());
        JsonNode e = only("login_failed");
        assertEquals("user:" + forging, e.get("principal").asText(), "quotes are escaped: no forged fields or lines");
        assertEquals("192.0.2.2", e.get("client").asText());
        assertEquals(1, Files.readAllLines(fixture.auditFile()).size());
    }

    @Test
    void issueToken_malformedBasic_loginFailedEntry() throws Exception {
        access.issueToken("Basic %%%not-base64", "192.0.2.9", null, List.of());
        JsonNode e = only("login_failed");
        assertTrue(e.get("detail").asText().contains("malformed"));
    }

    @Test
    void authorize_badRobotSecret_loginFailedEntryWithoutSecret() throws Exception {
        String forged = fixture.robotSecret.substring(0, 21) + "f".repeat(64);
        access.authorize("Bearer " + forged, "192.0.2.3", List.of(Scope.catalog()));
        JsonNode e = only("login_failed");
        assertEquals("token:" + forged.substring(4, 20), e.get("principal").asText());
        assertFalse(Files.readString(fixture.auditFile()).contains(forged.substring(21)), "the secret part is never logged");
    }

    @Test
    void authorize_forbidden_permissionDeniedEntry() throws Exception {
        String bob = AuthFixture.jwt(access, AuthFixture.basic("bob", AuthFixture.PASSWORD), "repository:team/app:push");
        access.authorize("Bearer " + bob, "192.0.2.4",
                List.of(Scope.repository(RepositoryName.parse("team/app"), Action.PUSH)));
        JsonNode e = only("permission_denied");
        assertEquals("user:bob", e.get("principal").asText());
        assertEquals("team/app", e.get("repository").asText());
        assertEquals("192.0.2.4", e.get("client").asText());
        assertTrue(e.get("detail").asText().contains("push on team/app"));
    }

    @Test
    void checkTagWrite_immutableMove_permissionDeniedEntry() throws Exception {
        Caller alice = alice("repository:team/app:push");
        assertThrows(OciException.class, () ->
                access.checkTagWrite(alice, RepositoryName.parse("team/app"), Tag.parse("1.0.0"), Optional.of(D1), D2));
        JsonNode e = only("permission_denied");
        assertEquals("1.0.0", e.get("reference").asText());
        assertTrue(e.get("detail").asText().contains("immutable"));
    }

    @Test
    void recordPush_entryWithDigest() throws Exception {
        access.recordPush(alice("repository:team/app:push"), RepositoryName.parse("team/app"), "1.0.0", D1);
        JsonNode e = only("push");
        assertEquals("user:alice", e.get("principal").asText());
        assertEquals("192.0.2.50", e.get("client").asText());
        assertEquals("team/app", e.get("repository").asText());
        assertEquals("1.0.0", e.get("reference").asText());
        assertEquals(D1.toString(), e.get("digest").asText());
    }

    @Test
    void recordTagMove_entryWithBothDigests() throws Exception {
        access.recordTagMove(alice("repository:team/app:push"), RepositoryName.parse("team/app"), Tag.parse("latest"), D1, D2);
        JsonNode e = only("tag_move");
        assertEquals("latest", e.get("reference").asText());
        assertEquals(D1.toString(), e.get("previous_digest").asText());
        assertEquals(D2.toString(), e.get("digest").asText());
    }

    @Test
    void recordDelete_entry() throws Exception {
        access.recordDelete(alice("repository:team/app:delete"), RepositoryName.parse("team/app"), D1.toString(), D1);
        JsonNode e = only("delete");
        assertEquals(D1.toString(), e.get("digest").asText());
        assertEquals("team/app", e.get("repository").asText());
    }

    @Test
    void record_manyThreads_everyLineWholeJson() throws Exception {
        Path file = dir.resolve("concurrent.jsonl");
        int threads = 8;
        int each = 250;
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file, fixture.clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                int id = t;
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        log.record(AuditEvent.push("robot:t" + id, "127.0.0.1", "r/" + id, "x".repeat(300) + i, D1.toString()));
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * each, lines.size());
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            seen.add(n.get("principal").asText() + "/" + n.get("reference").asText());
        }
        assertEquals(threads * each, seen.size());
    }

    @Test
    void record_reopened_appendsNeverTruncates() throws Exception {
        Path file = dir.resolve("append.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file, fixture.clock)) {
            log.record(AuditEvent.delete("user:a", "c", "r", "t", null));
        }
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file, fixture.clock)) {
            log.record(AuditEvent.delete("user:b", "c", "r", "t", null));
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void featureEvent_nameAndAttributes_writtenAsReported() throws Exception {
        access.audit().record(AuditEvent.feature("sign", "robot:ci", "192.0.2.7", "team/app", D1.toString(),
                java.util.Map.of("keyId", "release-2026")));
        JsonNode e = only("sign");
        assertEquals("robot:ci", e.get("principal").asText());
        assertEquals("192.0.2.7", e.get("client").asText());
        assertEquals("team/app", e.get("repository").asText());
        assertEquals(D1.toString(), e.get("digest").asText());
        assertEquals("release-2026", e.get("attributes").get("keyId").asText());
    }

    @Test
    void featureEvent_builtInOrMalformedName_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> AuditEvent.feature("login_failed", "user:x", "c", null, null, java.util.Map.of()),
                "a feature cannot forge a login failure line");
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.feature("Sign\n", "user:x", "c", null, null, java.util.Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> AuditEvent.feature("sign", "user:x", "c", null, null, java.util.Map.of("bad key", "v")));
    }
}
