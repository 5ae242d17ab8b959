package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * akua 0.8.5 against the registry with auth on (issue 3 "done when", item 1): a client that
 * handles challenges exactly as akua does ({@link AkuaAuthClient}) publishes a package — layer
 * and config blobs, manifest, {@code .sig} and {@code .att} sidecars, each step with its own token
 * cache — once with Basic credentials through the token endpoint and once with a robot token sent
 * directly as Bearer; then pulls it back.
 */
class AuthAkuaClientTest {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;
    static AuthTestRegistry auth;
    static String robot;

    @BeforeAll
    static void start() {
        auth = AuthTestRegistry.start(root, """
                  permissions:
                    - repository: "acme/**"
                      grants: {"user:alice": [pull, push]}
                """, Map.of());
        auth.addUser("alice", "alice-pw");
        robot = auth.createRobot("release-ci", "acme/**:pull,push");
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** oci_pusher.rs:404-462, through akua's auth: POST (Content-Length 0), PUT Location + ?digest= → 201/202. */
    private static Digest upload(AkuaAuthClient.Operation op, String repo, byte[] blob) throws IOException {
        RawHttp.Response post = op.send("POST", "/v2/" + repo + "/blobs/uploads/", List.of("Content-Length: 0"), null);
        String location = post.header("Location").orElseThrow(() -> new AssertionError("MissingUploadLocation: " + post.status() + " " + post.text()));
        assertTrue(location.startsWith("/"), location);
        Digest d = Digest.sha256(blob);
        RawHttp.Response put = op.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + d,
                List.of("Content-Type: application/octet-stream"), blob);
        assertTrue(put.status() == 201 || put.status() == 202, () -> "UploadFailed " + put.status() + " " + put.text());
        return d;
    }

    private static void putManifest(AkuaAuthClient.Operation op, String repo, String tag, byte[] manifest) throws IOException {
        RawHttp.Response r = op.send("PUT", "/v2/" + repo + "/manifests/" + tag, List.of("Content-Type: " + OCI_MANIFEST), manifest);
        assertTrue(r.status() >= 200 && r.status() < 300, () -> "UploadFailed " + r.status() + " " + r.text());
    }

    private static byte[] manifest(String configType, byte[] config, String layerType, byte[] layer, String layerAnnotations) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"" + configType
                + "\",\"size\":" + config.length + ",\"digest\":\"" + Digest.sha256(config) + "\"},\"layers\":[{\"mediaType\":\""
                + layerType + "\",\"size\":" + layer.length + ",\"digest\":\"" + Digest.sha256(layer) + "\"" + layerAnnotations + "}]}");
    }

    /**
     * {@code akua publish}: (b) the package, (c) the {@code .sig} sidecar, (d) the {@code .att}
     * sidecar, each a fresh client with a fresh token cache (cli/publish.rs:160-252).
     *
     * @return the manifest digest
     */
    private static Digest publish(AkuaAuthClient client, String repo, String tag, String seed) throws IOException {
        byte[] layer = utf8("package tarball " + repo + ":" + tag); // same version, same bytes; seed varies the signatures
        byte[] config = utf8("{\"akuaVersion\":\"0.8.5\"}");
        AkuaAuthClient.Operation b = client.operation();
        upload(b, repo, layer);
        upload(b, repo, config);
        byte[] m = manifest("application/vnd.akua.package.config.v1+json", config,
                "application/vnd.akua.package.content.v1.tar+gzip", layer, "");
        putManifest(b, repo, tag, m);
        Digest digest = Digest.sha256(m);

        AkuaAuthClient.Operation c = client.operation();
        byte[] payload = utf8("{\"critical\":{\"identity\":{\"docker-reference\":\"" + auth.hostPort() + "/" + repo
                + "\"},\"image\":{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
        upload(c, repo, payload);
        upload(c, repo, EMPTY_CONFIG);
        putManifest(c, repo, digest.tagForm() + ".sig", manifest("application/vnd.oci.image.config.v1+json", EMPTY_CONFIG,
                "application/vnd.dev.cosign.simplesigning.v1+json", payload,
                ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"MEUCIQ" + seed + "==\"}"));

        AkuaAuthClient.Operation d = client.operation();
        byte[] envelope = utf8("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"" + seed + "\"}]}");
        upload(d, repo, envelope);
        upload(d, repo, EMPTY_CONFIG);
        putManifest(d, repo, digest.tagForm() + ".att", manifest("application/vnd.oci.image.config.v1+json", EMPTY_CONFIG,
                "application/vnd.dsse.envelope.v1+json", envelope, ""));
        return digest;
    }

    /** {@code akua pull}: manifest with one Accept line, then the layer. */
    private static byte[] pullManifest(AkuaAuthClient client, String repo, String tag) throws IOException {
        RawHttp.Response r = client.operation().send("GET", "/v2/" + repo + "/manifests/" + tag, List.of("Accept: " + OCI_MANIFEST), null);
        assertEquals(200, r.status(), r::text);
        return r.body();
    }

    @Test
    void publish_basicCredentials_eachStepOneChallengeOneTokenThenSucceeds() throws Exception {
        AkuaAuthClient alice = AkuaAuthClient.withBasic(auth.port(), "alice", "alice-pw");
        Digest digest = publish(alice, "acme/charts/app", "0.1.0", "basic");

        // three steps, each: one challenge (first request), one token GET, then the cached token
        assertEquals(3, alice.challenges.size(), () -> "challenges: " + alice.challenges);
        assertEquals(3, alice.tokenRequests.size());
        for (String challenge : alice.challenges) {
            Map<String, String> p = AkuaAuthClient.parseChallenge(challenge);
            assertEquals("http://" + auth.hostPort() + "/token", p.get("realm"));
            assertEquals(AuthTestRegistry.SERVICE, p.get("service"));
            assertEquals("repository:acme/charts/app:push", p.get("scope"));
        }
        // akua forwards service and scope verbatim, form-encoded
        assertEquals("/token?service=akua-registry&scope=repository%3Aacme%2Fcharts%2Fapp%3Apush", alice.tokenRequests.get(0));

        byte[] m = pullManifest(alice, "acme/charts/app", "0.1.0");
        assertEquals(digest, Digest.sha256(m));
        byte[] sig = pullManifest(alice, "acme/charts/app", digest.tagForm() + ".sig");
        assertTrue(new String(sig, StandardCharsets.UTF_8).contains("dev.cosignproject.cosign/signature"));
        pullManifest(alice, "acme/charts/app", digest.tagForm() + ".att");

        // re-publish of the same version with the same bytes, and rewritten sidecars: all accepted
        assertEquals(digest, publish(alice, "acme/charts/app", "0.1.0", "basic-again"));
        assertTrue(new String(pullManifest(alice, "acme/charts/app", digest.tagForm() + ".sig"), StandardCharsets.UTF_8)
                .contains("basic-again"), "the .sig tag was rewritten");
    }

    @Test
    void publish_robotTokenDirectlyAsBearer_noChallengeNoTokenRequest() throws Exception {
        AkuaAuthClient ci = AkuaAuthClient.withToken(auth.port(), robot);
        Digest digest = publish(ci, "acme/tools/cli", "2.0.0", "robot");
        assertEquals(List.of(), ci.challenges, "a robot token sent as Bearer is accepted without a challenge");
        assertEquals(List.of(), ci.tokenRequests);
        assertArrayEquals(pullManifest(ci, "acme/tools/cli", "2.0.0"), pullManifest(
                AkuaAuthClient.withBasic(auth.port(), "alice", "alice-pw"), "acme/tools/cli", "2.0.0"));
        assertEquals(digest, Digest.sha256(pullManifest(ci, "acme/tools/cli", "2.0.0")));
    }

    @Test
    void publish_robotTokenThroughTokenEndpointAsBearer_works() throws Exception {
        // the same secret on the token endpoint as Bearer (the PAT path of oci_transport.rs:151-209)
        Http.Resp r = auth.tokenResponse("Bearer " + robot, "repository:acme/x:pull repository:acme/x:push");
        assertEquals(200, r.status(), r::text);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(r.json().get("token").asText().split("\\.")[1]));
        assertEquals("robot:release-ci", claims.get("sub").asText());
        assertEquals("[\"pull\",\"push\"]", claims.get("access").get(0).get("actions").toString(),
                "both space-separated scopes were granted and merged");
    }

    @Test
    void tokenRequest_scopesSpaceSeparatedFormEncoded_allGranted() throws Exception {
        // reqwest writes the space between scopes as '+'
        Http.Resp r = auth.http.get("/token?service=akua-registry&scope=repository%3Aacme%2Fa%3Apull+repository%3Aacme%2Fb%3Apush",
                "Authorization", AuthTestRegistry.basic("alice", "alice-pw"));
        assertEquals(200, r.status(), r::text);
        JsonNode body = r.json();
        assertEquals(body.get("token").asText(), body.get("access_token").asText());
        assertTrue(body.get("expires_in").asLong() >= 60, "long enough for a whole push (no refresh in akua)");
        assertFalse(body.get("issued_at").asText().isEmpty());
        JsonNode access = JSON.readTree(Base64.getUrlDecoder().decode(body.get("token").asText().split("\\.")[1])).get("access");
        assertEquals(2, access.size(), access::toString);
        assertEquals("acme/a", access.get(0).get("name").asText());
        assertEquals("acme/b", access.get(1).get("name").asText());
        assertEquals("no-store", r.header("Cache-Control").orElseThrow());
    }

    @Test
    void publish_anonymous_tokenGrantsNothingSecond401IsFatal() {
        AkuaAuthClient nobody = AkuaAuthClient.anonymous(auth.port());
        AkuaAuthClient.AkuaAuthError e = assertThrows(AkuaAuthClient.AkuaAuthError.class,
                () -> publish(nobody, "acme/charts/app", "9.9.9", "anon"));
        assertTrue(e.getMessage().startsWith("AuthRequired"), e.getMessage());
        Map<String, String> second = AkuaAuthClient.parseChallenge(nobody.challenges.get(0));
        assertEquals("repository:acme/charts/app:push", second.get("scope"));
    }

    @Test
    void publish_wrongPassword_tokenEndpoint401() {
        AkuaAuthClient wrong = AkuaAuthClient.withBasic(auth.port(), "alice", "not-it");
        AkuaAuthClient.AkuaAuthError e = assertThrows(AkuaAuthClient.AkuaAuthError.class,
                () -> publish(wrong, "acme/charts/app", "9.9.8", "wrong"));
        assertTrue(e.getMessage().contains("token request failed: 401"), e.getMessage());
    }

    @Test
    void base_authOn_401WithBearerChallengeAkuaCanParse() throws Exception {
        RawHttp raw = new RawHttp("127.0.0.1", auth.port());
        RawHttp.Response r = raw.exchange("GET", "/v2/", List.of(AkuaAuthClient.UA), null);
        assertEquals(401, r.status());
        assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version").orElseThrow());
        Map<String, String> p = AkuaAuthClient.parseChallenge(r.header("WWW-Authenticate").orElseThrow());
        assertEquals(Map.of("realm", "http://" + auth.hostPort() + "/token", "service", AuthTestRegistry.SERVICE), p);
        assertTrue(r.text().contains("\"UNAUTHORIZED\""), r.text());

        // Basic sent straight to the registry is not a login: the answer is the Bearer challenge, never Basic
        RawHttp.Response basic = raw.exchange("GET", "/v2/", List.of("Authorization: " + AuthTestRegistry.basic("alice", "alice-pw")), null);
        assertEquals(401, basic.status());
        assertTrue(basic.header("WWW-Authenticate").orElseThrow().startsWith("Bearer "));

        // with a token from the endpoint (what docker/helm login do): 200
        String token = auth.token(AuthTestRegistry.basic("alice", "alice-pw"));
        assertEquals(200, raw.exchange("GET", "/v2/", List.of("Authorization: Bearer " + token), null).status());
        assertEquals(200, raw.exchange("GET", "/v2/", List.of("Authorization: Bearer " + robot), null).status());
    }
}
