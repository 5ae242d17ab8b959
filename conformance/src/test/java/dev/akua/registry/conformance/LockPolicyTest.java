package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Locking against the registry's own signature policy (issue 5: "verified against the workspace's
 * key or the registry's trust policy"): with no workspace key, a dependency in this registry is
 * verified with the keys of the {@code signing.policies} entry covering its repository — the keys
 * {@code enforce: pull} uses — and pinned as {@code cosign:key:<id>}; a signature by another key is
 * refused naming the policy; the same repository named under another host is not this registry's.
 * A keyless Sigstore bundle referrer by an identity the policy trusts is pinned as
 * {@code cosign:sigstore:<issuer>}; one by another identity is refused with the reason.
 */
class LockPolicyTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;
    static TestRegistry registry;
    static Http http;
    static LockFixtures fixtures;
    static KeyPair release;
    static KeyPair stranger;
    static KeylessFixtures keyless;
    static final String CI_IDENTITY = "https://github.com/acme/k8s/.github/workflows/release.yml@refs/heads/main";

    @BeforeAll
    static void start() throws Exception {
        release = LockFixtures.p256();
        stranger = LockFixtures.p256();
        Path pub = Files.writeString(root.resolve("release.pub"), LockFixtures.publicKeyPem(release));
        keyless = new KeylessFixtures();
        Path trustedRoot = Files.write(root.resolve("trusted_root.json"), keyless.trustedRoot());
        String config = """
                signing:
                  trustedRoot: %s
                  policies:
                    - name: release
                      repositories: ["kcl/**"]
                      keys:
                        - name: release
                          publicKeyFile: %s
                    - name: ci
                      repositories: ["keyless/**"]
                      keyless:
                        - issuer: %s
                          subjectRegex: "https://github\\\\.com/acme/.*"
                """.formatted(trustedRoot, pub, KeylessFixtures.ISSUER);
        registry = TestRegistry.start(Files.createDirectories(root.resolve("data")), config,
                Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"));
        http = new Http(registry.base());
        fixtures = new LockFixtures(registry, Files.createDirectories(root.resolve("work")));
        fixtures.pushKcl("kcl/k8s", "1.0.0", LockFixtures.kclTar("k8s", "1.0.0", "k8s 1.0.0"));
        fixtures.sign("kcl/k8s", "1.0.0", release);
        fixtures.pushKcl("kcl/forged", "1.0.0", LockFixtures.kclTar("forged", "1.0.0", "forged"));
        fixtures.sign("kcl/forged", "1.0.0", stranger);
        for (String[] r : new String[][] {{"keyless/k8s", CI_IDENTITY}, {"keyless/other", "https://github.com/mallory/k8s/x@refs/heads/main"}}) {
            fixtures.pushKcl(r[0], "1.0.0", LockFixtures.kclTar(r[0], "1.0.0", r[0]));
            Digest subject = fixtures.manifestDigest(r[0], "1.0.0");
            long size = http.get("/v2/" + r[0] + "/manifests/1.0.0", "Accept", MediaTypes.OCI_MANIFEST).body().length;
            keyless.pushValidBundle(new Oci(http), r[0], registry.hostPort() + "/" + r[0], subject, size, r[1]);
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** A lock request without the workspace's public key: only the registry's keys can verify. */
    private static Http.Resp lock(String dependencies) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("manifest", LockFixtures.manifest(true, dependencies));
        return http.send(LockFixtures.lockRequest(http, body));
    }

    @Test
    void dependencyInThisRegistry_verifiedWithThePolicyKey() throws Exception {
        Http.Resp r = lock("k8s = { oci = \"" + fixtures.ref("kcl/k8s") + "\", version = \"1.0.0\" }");

        assertEquals(200, r.status(), r::text);
        JsonNode k8s = r.json().get("dependencies").get(0);
        assertEquals("k8s", k8s.get("name").asText());
        assertEquals(LockFixtures.lockValue(release), k8s.get("signature").asText());
        assertTrue(r.json().get("lock").asText().contains("signature = \"" + LockFixtures.lockValue(release) + "\""), r::text);
    }

    @Test
    void signatureByAnotherKey_refusedNamingThePolicy() throws Exception {
        Http.Resp r = lock("forged = { oci = \"" + fixtures.ref("kcl/forged") + "\", version = \"1.0.0\" }");

        r.assertError(422, "DENIED");
        JsonNode error = r.json().get("errors").get(0);
        assertEquals("SIGNATURE_REQUIRED", error.path("detail").path("reason").asText(), r::text);
        assertTrue(error.get("message").asText().contains("signature policy 'release'"), r::text);
    }

    @Test
    void sameRepositoryUnderAnotherHostName_isNotThisRegistrys() throws Exception {
        // localhost:<port> reaches the same server, but the caller named it 127.0.0.1:<port>: the
        // registry only vouches for references under the name it was asked by (or http.publicUrl)
        String other = "oci://localhost:" + registry.port() + "/kcl/k8s";
        Http.Resp r = lock("k8s = { oci = \"" + other + "\", version = \"1.0.0\" }");

        r.assertError(422, "DENIED");
        assertTrue(r.json().get("errors").get(0).get("message").asText().contains("nothing to verify with"), r::text);
    }

    @Test
    void keylessBundleOfAPolicyIdentity_lockedAsSigstoreIssuer() throws Exception {
        Http.Resp r = lock("k8s = { oci = \"" + fixtures.ref("keyless/k8s") + "\", version = \"1.0.0\" }");

        assertEquals(200, r.status(), r::text);
        assertEquals("cosign:sigstore:" + KeylessFixtures.ISSUER, r.json().get("dependencies").get(0).get("signature").asText(), r::text);
    }

    @Test
    void keylessBundleOfAnotherIdentity_refusedWithTheReason() throws Exception {
        Http.Resp r = lock("other = { oci = \"" + fixtures.ref("keyless/other") + "\", version = \"1.0.0\" }");

        r.assertError(422, "DENIED");
        String message = r.json().get("errors").get(0).get("message").asText();
        assertTrue(message.contains("signature policy 'ci'") && message.contains("matches no trusted identity"), message);
    }
}
