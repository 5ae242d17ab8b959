package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default is open (issue 3, build item 8): no credentials needed for anything and
 * tags move freely (immutability rules apply only if configured), while the audit log is still
 * written; one setting, {@code auth.enabled}, locks the same data down.
 */
class AuthOpenDefaultTest {
    @TempDir
    Path root;

    @Test
    void defaults_openToAnonymous_releaseTagsStillImmutable_thenOneSettingLocksDown() throws Exception {
        Digest release;
        try (TestRegistry registry = TestRegistry.start(root)) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            assertEquals(200, http.get("/v2/").status(), "no challenge with auth off");
            release = oci.pushImage("open/app", "1.0.0", "open", "");
            assertEquals(200, http.get("/v2/open/app/manifests/1.0.0").status());
            assertEquals(202, http.post("/v2/other/blobs/uploads/").status());
            assertEquals(200, http.get("/v2/_catalog").status());

            // open means open: a version tag moves like any tag (no rules configured) ...
            byte[] other = oci.image("open/app", "other", "");
            assertEquals(201, oci.putManifest("open/app", "1.0.0", other, MediaTypes.OCI_MANIFEST).status());
            assertEquals(201, oci.putManifest("open/app", "1.0.0", http.get("/v2/open/app/manifests/" + release).body(),
                    MediaTypes.OCI_MANIFEST).status());
            assertEquals(201, oci.putManifest("open/app", release.tagForm() + ".sig", other, MediaTypes.OCI_MANIFEST).status());
            assertEquals(201, oci.putManifest("open/app", "latest", other, MediaTypes.OCI_MANIFEST).status());
            assertEquals(202, http.delete("/v2/open/app/manifests/latest").status());
            assertFalse(Files.exists(root.resolve("auth/token-signing-key.pem")), "no key until a token is needed");

            // the token endpoint works (anonymous token) for clients that always ask for one
            Http.Resp token = http.get("/token?service=akua-registry&scope=repository:open/app:pull");
            assertEquals(200, token.status(), token::text);
            assertTrue(Files.exists(root.resolve("auth/token-signing-key.pem")), "the key was created for the first token");

            List<String> lines = Files.readAllLines(root.resolve("auth/audit.jsonl"));
            JsonMapper json = JsonMapper.builder().build();
            JsonNode push = null;
            for (String l : lines) {
                JsonNode n = json.readTree(l);
                if (n.path("event").asText().equals("push") && n.path("reference").asText().equals("1.0.0")) {
                    push = n;
                }
            }
            assertTrue(push != null, "audit: " + lines);
            assertEquals("anonymous", push.get("principal").asText());
            assertEquals(release.toString(), push.get("digest").asText());
        }

        // ... unless immutability rules are configured, which apply without auth too
        Path rules = root.resolve("immutable.yaml");
        Files.writeString(rules, "auth:\n  immutableTags:\n    - {repository: \"open/**\", tags: semver}\n");
        try (TestRegistry open = TestRegistry.start(root, rules, Map.of())) {
            Http http = new Http(open.base());
            Oci oci = new Oci(http);
            byte[] other = oci.image("open/app", "other-again", "");
            String message = oci.putManifest("open/app", "1.0.0", other, MediaTypes.OCI_MANIFEST).assertError(403, "DENIED")
                    .json().get("errors").get(0).get("message").asText();
            assertTrue(message.contains("immutable") && message.contains("semver"), message);
            assertEquals(201, oci.putManifest("open/app", "moving", other, MediaTypes.OCI_MANIFEST).status());
        }

        try (TestRegistry locked = TestRegistry.start(root, Map.of("AKUA_REGISTRY_AUTH_ENABLED", "true"))) {
            Http http = new Http(locked.base());
            Http.Resp base = http.get("/v2/").assertError(401, "UNAUTHORIZED");
            assertTrue(base.header("WWW-Authenticate").orElseThrow().startsWith("Bearer realm=\"http://" + locked.hostPort() + "/token\""),
                    base.header("WWW-Authenticate").orElseThrow());
            http.get("/v2/open/app/manifests/1.0.0").assertError(401, "UNAUTHORIZED");
            http.post("/v2/open/app/blobs/uploads/").assertError(401, "UNAUTHORIZED");
            http.get("/v2/_catalog").assertError(401, "UNAUTHORIZED");
        }
    }
}
