package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.feature.signing.SigningFeature;
import dev.akua.registry.feature.signing.SigningKeyCommand;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.server.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side signing end to end on the real server ({@code POST /api/v1/repositories/<name>/sign}):
 * keys made with the {@code signing-key} command and encrypted at rest, a robot with the
 * {@code sign} right signs, one without is refused, the sidecar is cosign's (checked with the public
 * key by the registry and by {@code openssl dgst -sha256 -verify} over the payload blob), a second
 * key appends a layer, the event is audited and pushed like a client push. The robots come from a
 * test gate ({@link SigningTestGate}); {@code SigningAuthTest} runs the same flow with the auth feature.
 */
class SigningServerSideTest {
    static final String PASSPHRASE_VAR = "TEST_SIGNING_PASSPHRASE";
    static final Map<String, String> ENV = Map.of(PASSPHRASE_VAR, "correct horse battery staple");

    @TempDir
    static Path work;
    static Path keys;
    static SigningTestGate gate;
    static RegistryServer server;
    static Http http;
    static SigningFixtures fx;
    static Path config;

    @BeforeAll
    static void start() {
        keys = work.resolve("keys");
        config = SigningFixtures.config(work, """
                signing:
                  keys:
                    directory: %s
                    passphraseEnv: %s
                """.formatted(keys, PASSPHRASE_VAR));
        // keys are made with the CLI before the policy that trusts them is written
        assertEquals(0, keyCommand(config, "generate", "release"));
        assertEquals(0, keyCommand(config, "generate", "backup", "--type", "ecdsa-p384"));
        config = SigningFixtures.config(work, """
                signing:
                  keys:
                    directory: %1$s
                    passphraseEnv: %2$s
                  policies:
                    - name: ci
                      repositories: ["ci/**"]
                      keys:
                        - name: release
                          publicKeyFile: %1$s/release.pub
                        - name: backup
                          publicKeyFile: %1$s/backup.pub
                      enforce: pull
                """.formatted(keys, PASSPHRASE_VAR));
        gate = new SigningTestGate(Map.of(
                "signer-token", new SigningTestGate.Robot("ci-signer", Set.of("pull", "push", "sign")),
                "pusher-token", new SigningTestGate.Robot("ci-pusher", Set.of("pull", "push"))));
        server = start(config, ENV);
        http = new Http(server.baseUrl());
        fx = new SigningFixtures(work, http);
    }

    static RegistryServer start(Path configFile, Map<String, String> env) {
        RegistryConfig c = new ConfigLoader().load(configFile, Map.of("AKUA_REGISTRY_HTTP_PORT", "0",
                "AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", work.resolve("data-" + env.size()).toString()));
        return RegistryServer.start(c, List.of(gate.factory(), SigningFeature.factory(env::get)));
    }

    static int keyCommand(Path configFile, String... args) {
        RegistryConfig c = new ConfigLoader().load(configFile, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new SigningKeyCommand(ENV::get).run(List.of(args), c, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            System.err.println(err.toString(StandardCharsets.UTF_8));
        }
        return exit;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String dockerRef(String repo) {
        return "127.0.0.1:" + server.port() + "/" + repo;
    }

    static Http.Resp sign(Http http, String repo, String token, String body) {
        HttpRequest.Builder b = http.request("/api/v1/repositories/" + repo + "/sign").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b);
    }

    private static String body(Digest d, String key) {
        return "{\"digest\":\"" + d + "\",\"key\":\"" + key + "\"}";
    }

    @Test
    void sign_robotWithSignRight_writesCosignSidecarThatVerifies() throws Exception {
        String repo = "ci/app";
        Digest d = fx.oci().pushImage(repo, "1.0", "server-signed", "");
        http.get("/v2/" + repo + "/manifests/1.0").assertError(403, "DENIED");

        Http.Resp r = sign(http, repo, "signer-token", body(d, "release"));

        assertEquals(201, r.status(), r::text);
        JsonNode out = r.json();
        assertEquals(d.toString(), out.get("digest").asText());
        assertEquals("release", out.get("key").asText());
        assertEquals(dockerRef(repo), out.get("dockerReference").asText());
        assertFalse(out.get("alreadySigned").asBoolean());
        assertEquals(SigningFixtures.sigTag(d), out.get("signature").get("tag").asText());

        // the sidecar is cosign's/akua's: one simple-signing layer over the exact payload, {} config
        Http.Resp sidecar = http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d));
        assertEquals(200, sidecar.status());
        assertEquals(out.get("signature").get("manifestDigest").asText(), sidecar.header("Docker-Content-Digest").orElseThrow());
        JsonNode manifest = sidecar.json();
        assertEquals(Digest.sha256(SigningFixtures.EMPTY_CONFIG).toString(), manifest.get("config").get("digest").asText());
        assertEquals(1, manifest.get("layers").size());
        JsonNode layer = manifest.get("layers").get(0);
        byte[] payload = http.get("/v2/" + repo + "/blobs/" + layer.get("digest").asText()).body();
        assertEquals(new String(SigningFixtures.payload(dockerRef(repo), d), StandardCharsets.UTF_8), new String(payload, StandardCharsets.UTF_8));
        byte[] signature = Base64.getDecoder().decode(layer.get("annotations").get(SigningFixtures.SIGNATURE_ANNOTATION).asText());
        assertTrue(fx.opensslVerify(keys.resolve("release.pub"), payload, signature), "openssl dgst -sha256 -verify accepts it");

        JsonNode report = http.get("/api/v1/repositories/" + repo + "/signatures/" + d).json();
        assertTrue(report.get("policyMet").asBoolean(), report::toString);
        assertEquals("release", report.get("signatures").get(0).get("signer").get("keyName").asText());
        assertEquals(200, http.get("/v2/" + repo + "/manifests/1.0").status(), "enforce: pull lets it through now");

        synchronized (gate) {
            assertTrue(gate.audit.stream().anyMatch(e -> e.startsWith("sign robot:ci-signer " + repo + " " + d + " {key=release")), gate.audit::toString);
            assertTrue(gate.pushes.stream().anyMatch(p -> p.startsWith("robot:ci-signer " + repo + " ")
                    && p.contains("[" + SigningFixtures.sigTag(d) + "]")), gate.pushes::toString);
        }
    }

    @Test
    void sign_robotWithoutSignRightOrAnonymous_isRefusedAndNothingIsWritten() {
        String repo = "ci/refused";
        Digest d = fx.oci().pushImage(repo, "1.0", "refused", "");

        Http.Resp pusher = sign(http, repo, "pusher-token", body(d, "release")).assertError(403, "DENIED");
        assertTrue(pusher.json().get("errors").get(0).get("message").asText().contains("robot:ci-pusher lacks the 'sign' right on ci/refused"));
        sign(http, repo, null, body(d, "release")).assertError(403, "DENIED");
        sign(http, repo, "forged-token", body(d, "release")).assertError(401, "UNAUTHORIZED");

        assertEquals(404, http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).status());
    }

    @Test
    void sign_secondKey_appendsALayerKeepingTheFirst_andTheSameKeyAgainIsADuplicate() {
        String repo = "ci/two-keys";
        Digest d = fx.oci().pushImage(repo, "1.0", "two-keys", "");
        assertEquals(201, sign(http, repo, "signer-token", body(d, "release")).status());
        JsonNode first = http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).json();

        Http.Resp second = sign(http, repo, "signer-token", body(d, "backup"));

        assertEquals(201, second.status(), second::text);
        JsonNode both = http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).json();
        assertEquals(2, both.get("layers").size());
        assertEquals(first.get("layers").get(0), both.get("layers").get(0));
        JsonNode report = http.get("/api/v1/repositories/" + repo + "/signatures/" + d).json();
        assertTrue(report.get("summary").asText().startsWith("2 of 2 signatures verified"), report::toString);
        assertEquals("backup", report.get("signatures").get(1).get("signer").get("keyName").asText());

        Http.Resp again = sign(http, repo, "signer-token", body(d, "release"));
        assertEquals(200, again.status(), again::text);
        assertTrue(again.json().get("alreadySigned").asBoolean());
        assertEquals(second.json().get("signature").get("manifestDigest"), again.json().get("signature").get("manifestDigest"));
    }

    @Test
    void sign_withBundle_alsoWritesAVerifiedSigstoreBundleReferrer() {
        String repo = "ci/bundle";
        Digest d = fx.oci().pushImage(repo, "1.0", "bundle", "");

        Http.Resp r = sign(http, repo, "signer-token", "{\"digest\":\"" + d + "\",\"key\":\"release\",\"bundle\":true}");

        assertEquals(201, r.status(), r::text);
        String bundle = r.json().get("bundle").get("manifestDigest").asText();
        JsonNode referrers = http.get("/v2/" + repo + "/referrers/" + d).json().get("manifests");
        assertEquals(1, referrers.size());
        assertEquals(bundle, referrers.get(0).get("digest").asText());
        assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", referrers.get(0).get("artifactType").asText());
        JsonNode report = http.get("/api/v1/repositories/" + repo + "/signatures/" + d).json();
        JsonNode fromBundle = null;
        for (JsonNode f : report.get("signatures")) {
            if (f.get("format").asText().equals("sigstore-bundle")) {
                fromBundle = f;
            }
        }
        assertTrue(fromBundle != null && fromBundle.get("verified").asBoolean(), report::toString);
        assertEquals(bundle, fromBundle.get("manifestDigest").asText());
    }

    @Test
    void sign_badRequests_answerTheMappedErrors() {
        String repo = "ci/errors";
        Digest d = fx.oci().pushImage(repo, "1.0", "errors", "");

        Http.Resp unknownKey = sign(http, repo, "signer-token", body(d, "nope")).assertError(400, "UNSUPPORTED");
        assertTrue(unknownKey.json().get("errors").get(0).get("message").asText().contains("no signing key named nope"));
        sign(http, repo, "signer-token", body(Digest.sha256(new byte[]{9}), "release")).assertError(404, "MANIFEST_UNKNOWN");
        sign(http, repo, "signer-token", "{\"digest\":\"sha256:123\",\"key\":\"release\"}").assertError(400, "DIGEST_INVALID");
        sign(http, repo, "signer-token", "not json").assertError(400, "UNSUPPORTED");
        sign(http, repo, "signer-token", "{\"digest\":\"" + d + "\",\"key\":\"release\",\"keys\":1}").assertError(400, "UNSUPPORTED");
        sign(http, repo, "signer-token", "{\"digest\":\"" + d + "\"}").assertError(400, "UNSUPPORTED");
        sign(http, repo, "signer-token", "{\"digest\":\"" + d + "\",\"key\":\"../../etc/passwd\"}").assertError(400, "UNSUPPORTED");
        sign(http, repo, "signer-token", "{\"digest\":\"" + d + "\",\"key\":\"" + "x".repeat(20_000) + "\"}").assertError(413, "UNSUPPORTED");
        Http.Resp get = http.get("/api/v1/repositories/" + repo + "/sign").assertError(405, "UNSUPPORTED");
        assertEquals("POST", get.header("Allow").orElseThrow());
        assertEquals(404, http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).status());
    }

    @Test
    void sign_passphraseVariableUnset_is503AndSaysWhichVariable() {
        try (RegistryServer noPassphrase = start(config, Map.of())) {
            Http other = new Http(noPassphrase.baseUrl());
            Digest d = new Oci(other).pushImage("ci/nopass", "1.0", "nopass", "");

            Http.Resp r = sign(other, "ci/nopass", "signer-token", body(d, "release")).assertError(503, "UNAVAILABLE");

            assertTrue(r.json().get("errors").get(0).get("message").asText().contains(PASSPHRASE_VAR), r::text);
        }
    }
}
