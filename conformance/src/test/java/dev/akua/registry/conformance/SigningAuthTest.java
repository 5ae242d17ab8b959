package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.feature.auth.AuthFeature;
import dev.akua.registry.feature.auth.TokenCommand;
import dev.akua.registry.feature.signing.SigningFeature;
import dev.akua.registry.feature.signing.SigningKeyCommand;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.server.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side signing with the auth feature, as an operator sets it up: the registry runs as its own
 * process ({@code akua-registry serve --config FILE}) with {@code auth.enabled: true}, a permission
 * rule granting {@code sign} to one robot, signing keys generated with {@code signing-key} and
 * unlocked by {@code AKUA_SIGNING_PASSPHRASE} from the process environment, robots created with
 * {@code token create-robot}. A robot token with {@code sign} signs, one without is refused with 403,
 * the sidecar verifies with the public key (and with openssl over the payload blob), a second key
 * appends a layer, and the audit log records the signing.
 */
class SigningAuthTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> ENV = Map.of("AKUA_SIGNING_PASSPHRASE", "a passphrase only the registry knows");

    @TempDir
    static Path work;
    static Path data;
    static Path keys;
    static Path config;
    static RegistryProcess registry;
    static Http http;
    static SigningFixtures fx;
    static String signer;
    static String pusher;
    static String reader;

    @BeforeAll
    static void start() throws Exception {
        data = work.resolve("data");
        keys = work.resolve("signing-keys");
        Path keysOnly = SigningFixtures.config(work, """
                signing:
                  keys:
                    directory: %s
                """.formatted(keys));
        assertEquals(0, cli(new SigningKeyCommand(ENV::get), keysOnly, "generate", "release").exit(), "signing-key generate release");
        assertEquals(0, cli(new SigningKeyCommand(ENV::get), keysOnly, "generate", "backup").exit(), "signing-key generate backup");
        config = SigningFixtures.config(work, """
                storage:
                  filesystem:
                    root: %1$s
                auth:
                  enabled: true
                  bcryptCost: 4
                  permissions:
                    - repository: "ci/**"
                      grants:
                        "robot:signer": [pull, push, sign]
                        "robot:pusher": [pull, push]
                        "robot:reader": [pull, sign]
                signing:
                  keys:
                    directory: %2$s
                  policies:
                    - name: ci
                      repositories: ["ci/**"]
                      keys:
                        - name: release
                          publicKeyFile: %2$s/release.pub
                        - name: backup
                          publicKeyFile: %2$s/backup.pub
                      enforce: pull
                """.formatted(data, keys));
        signer = robot("signer", "ci/**:pull,push,sign");
        pusher = robot("pusher", "ci/**:pull,push");
        reader = robot("reader", "ci/**:pull,sign");
        registry = RegistryProcess.start(data, RegistryProcess.freePort(), work.resolve("registry.log"), config, ENV);
        http = new Http(registry.base());
        fx = new SigningFixtures(work, http);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run cli(dev.akua.registry.cli.CliCommand command, Path configFile, String... args) {
        RegistryConfig c = new ConfigLoader().load(configFile, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(new ArrayList<>(List.of(args)), c, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code akua-registry token create-robot NAME --scope SCOPE}: the secret it prints once. */
    static String robot(String name, String scope) {
        Run r = cli(new TokenCommand(), config, "create-robot", name, "--scope", scope, "--expires", "1d");
        assertEquals(0, r.exit(), r::toString);
        return r.out().lines().filter(l -> l.startsWith("akr_")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
    }

    static Http.Resp sign(String token, String repo, Digest d, String key) {
        HttpRequest.Builder b = http.request("/api/v1/repositories/" + repo + "/sign").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"digest\":\"" + d + "\",\"key\":\"" + key + "\"}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b);
    }

    private String dockerRef(String repo) {
        return "127.0.0.1:" + registry.port() + "/" + repo;
    }

    private static List<JsonNode> audit(String event) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(data.resolve("auth/audit.jsonl"))) {
            JsonNode e = JSON.readTree(line);
            if (e.path("event").asText().equals(event)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void sign_robotWithSignRight_signs_andTheSidecarVerifiesWithThePublicKey() throws Exception {
        String repo = "ci/app";
        AuthHttp asPusher = AuthHttp.bearer(http, pusher);
        Digest d = asPusher.pushImage(repo, "1.0.0", "auth-signed");
        asPusher.get("/v2/" + repo + "/manifests/1.0.0").assertError(403, "DENIED");

        Http.Resp r = sign(signer, repo, d, "release");

        assertEquals(201, r.status(), r::text);
        assertEquals(dockerRef(repo), r.json().get("dockerReference").asText());
        JsonNode sidecar = asPusher.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).json();
        JsonNode layer = sidecar.get("layers").get(0);
        byte[] payload = asPusher.get("/v2/" + repo + "/blobs/" + layer.get("digest").asText()).body();
        assertEquals(new String(SigningFixtures.payload(dockerRef(repo), d), StandardCharsets.UTF_8), new String(payload, StandardCharsets.UTF_8));
        byte[] signature = Base64.getDecoder().decode(layer.get("annotations").get(SigningFixtures.SIGNATURE_ANNOTATION).asText());
        assertTrue(fx.opensslVerify(keys.resolve("release.pub"), payload, signature), "openssl dgst -sha256 -verify with release.pub");

        JsonNode report = asPusher.get("/api/v1/repositories/" + repo + "/signatures/" + d).json();
        assertTrue(report.get("policyMet").asBoolean(), report::toString);
        assertEquals("release", report.get("signatures").get(0).get("signer").get("keyName").asText());
        assertEquals(200, asPusher.get("/v2/" + repo + "/manifests/1.0.0").status(), "enforce: pull lets the signed release through");

        JsonNode event = audit("sign").stream().filter(e -> d.toString().equals(e.path("digest").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no sign event for " + d));
        assertEquals("robot:signer", event.get("principal").asText());
        assertEquals(repo, event.get("repository").asText());
        assertEquals("release", event.get("attributes").get("key").asText());
        assertEquals(r.json().get("keyFingerprint").asText(), event.get("attributes").get("keyFingerprint").asText());
        assertTrue(audit("push").stream().anyMatch(e -> e.path("principal").asText().equals("robot:signer")
                && SigningFixtures.sigTag(d).equals(e.path("reference").asText())), "the sidecar push is audited as the robot's");
    }

    @Test
    void sign_robotWithoutSignRight_isRefused403_andAnonymousIsChallenged() {
        String repo = "ci/refused";
        Digest d = AuthHttp.bearer(http, pusher).pushImage(repo, "1.0.0", "auth-refused");

        Http.Resp noSign = sign(pusher, repo, d, "release").assertError(403, "DENIED");
        assertTrue(noSign.json().get("errors").get(0).get("message").asText().contains("robot:pusher lacks the 'sign' right"), noSign::text);
        sign(reader, repo, d, "release").assertError(403, "DENIED"); // sign, but no push
        Http.Resp anonymous = sign(null, repo, d, "release").assertError(401, "UNAUTHORIZED");
        String challenge = anonymous.header("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer realm=\"" + registry.base() + "/token\"") && challenge.contains("repository:ci/refused:push"),
                challenge);
        http.get("/api/v1/repositories/" + repo + "/signatures/" + d).assertError(401, "UNAUTHORIZED");

        assertEquals(404, AuthHttp.bearer(http, pusher).get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).status());
    }

    /** With access control off everyone may push, but only a caller the gate identifies (a valid robot token) signs. */
    @Test
    void sign_authOff_identifiedRobotSigns_anonymousNever() {
        Path root = work.resolve("auth-off");
        Path offConfig = SigningFixtures.config(work, """
                storage:
                  filesystem:
                    root: %1$s
                signing:
                  keys:
                    directory: %2$s
                """.formatted(root.resolve("data"), keys));
        String robot = cli(new TokenCommand(), offConfig, "create-robot", "ci", "--scope", "**:pull,push").out().lines()
                .filter(l -> l.startsWith("akr_")).findFirst().orElseThrow();
        RegistryConfig c = new ConfigLoader().load(offConfig, Map.of("AKUA_REGISTRY_HTTP_PORT", "0"));
        try (RegistryServer open = RegistryServer.start(c, List.of(AuthFeature::create, SigningFeature.factory(ENV::get)))) {
            Http h = new Http(open.baseUrl());
            Digest d = new Oci(h).pushImage("open/app", "1.0.0", "auth-off", "");

            Http.Resp anonymous = h.send(h.request("/api/v1/repositories/open/app/sign").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"digest\":\"" + d + "\",\"key\":\"release\"}")));
            Http.Resp byRobot = h.send(h.request("/api/v1/repositories/open/app/sign").header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + robot)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"digest\":\"" + d + "\",\"key\":\"release\"}")));

            anonymous.assertError(403, "DENIED");
            assertTrue(anonymous.json().get("errors").get(0).get("message").asText().contains("anonymous callers never sign"), anonymous::text);
            assertEquals(201, byRobot.status(), byRobot::text);
        }
    }

    @Test
    void sign_secondKey_appendsALayer() {
        String repo = "ci/two-keys";
        Digest d = AuthHttp.bearer(http, pusher).pushImage(repo, "1.0.0", "auth-two-keys");
        assertEquals(201, sign(signer, repo, d, "release").status());

        Http.Resp second = sign(signer, repo, d, "backup");

        assertEquals(201, second.status(), second::text);
        JsonNode sidecar = AuthHttp.bearer(http, pusher).get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).json();
        assertEquals(2, sidecar.get("layers").size());
        JsonNode report = AuthHttp.bearer(http, pusher).get("/api/v1/repositories/" + repo + "/signatures/" + d).json();
        assertTrue(report.get("summary").asText().startsWith("2 of 2 signatures verified"), report::toString);
        assertFalse(report.get("signatures").get(0).get("signer").get("keyFingerprint").asText()
                .equals(report.get("signatures").get(1).get("signer").get("keyFingerprint").asText()));
    }
}
