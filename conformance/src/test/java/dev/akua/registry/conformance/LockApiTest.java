package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/lock} against this registry, with OCI dependencies that live in the same
 * registry: a Helm chart pushed by Helm, KCL-shaped packages, signed and unsigned under
 * {@code strict_signing}; drift detection for a moved tag; bad input and upstream failures
 * answered with the spec's error envelope (4xx for the caller's input, 502 fail-closed upstream).
 */
class LockApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;
    static TestRegistry registry;
    static Http http;
    static LockFixtures fixtures;
    static KeyPair key;
    static KeyPair otherKey;
    static byte[] demoChart;

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.start(Files.createDirectories(root.resolve("data")),
                Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"));
        http = new Http(registry.base());
        fixtures = new LockFixtures(registry, Files.createDirectories(root.resolve("work")));
        key = LockFixtures.p256();
        otherKey = LockFixtures.p256();

        demoChart = fixtures.pushHelmChart("charts", "demo");
        fixtures.sign("charts/demo", "0.1.0", key);
        fixtures.pushHelmChart("charts", "plain");

        for (String version : new String[] {"1.0.0", "1.1.0", "2.0.0"}) {
            fixtures.pushKcl("kcl/k8s", version, LockFixtures.kclTar("k8s", version, "k8s " + version));
            fixtures.sign("kcl/k8s", version, key);
        }
        fixtures.pushKcl("kcl/forged", "1.0.0", LockFixtures.kclTar("forged", "1.0.0", "forged"));
        fixtures.sign("kcl/forged", "1.0.0", otherKey);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static Http.Resp post(ObjectNode body) throws Exception {
        return http.send(LockFixtures.lockRequest(http, body));
    }

    private static ObjectNode request(String manifest, String lock, String mode, boolean withKey) {
        ObjectNode body = JSON.createObjectNode();
        body.put("manifest", manifest);
        if (lock != null) {
            body.put("lock", lock);
        }
        if (mode != null) {
            body.put("mode", mode);
        }
        if (withKey) {
            body.put("publicKey", LockFixtures.publicKeyPem(key));
        }
        return body;
    }

    private static JsonNode dependency(JsonNode answer, String name) {
        for (JsonNode d : answer.get("dependencies")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no dependency " + name + " in " + answer);
    }

    private static JsonNode assertLockError(Http.Resp r, int status, String code, String reason) {
        r.assertError(status, code);
        JsonNode error = r.json().get("errors").get(0);
        assertEquals(reason, error.path("detail").path("reason").asText(), r::text);
        return error;
    }

    @Test
    void lock_helmChartAndKclPackageInThisRegistry_pinTheLayerDigestsAkuaPinsWithKeySignatures() throws Exception {
        String manifest = LockFixtures.manifest(true,
                "demo = { oci = \"" + fixtures.ref("charts/demo") + "\", version = \"0.1.0\" }\n"
                        + "k8s = { oci = \"" + fixtures.ref("kcl/k8s") + "\", version = \"^1.0\" }");
        Http.Resp r = post(request(manifest, null, null, true));
        assertEquals(200, r.status(), r::text);
        assertTrue(r.header("Content-Type").orElse("").startsWith("application/json"));
        JsonNode answer = r.json();
        assertEquals("lock", answer.get("mode").asText());
        assertTrue(answer.get("drift").asBoolean(), "a new lock differs from no lock");
        assertEquals(0, answer.get("exitCode").asInt());

        // Helm chart: the digest is the chart layer's, i.e. sha256 of the .tgz Helm pushed (§4.3).
        JsonNode demo = dependency(answer, "demo");
        String chartDigest = LockFixtures.sha256(demoChart);
        assertEquals(chartDigest, fixtures.pinnedLayer("charts/demo", "0.1.0").toString());
        assertEquals(chartDigest, demo.get("digest").asText());
        assertEquals("0.1.0", demo.get("version").asText());
        assertEquals(fixtures.ref("charts/demo"), demo.get("source").asText());
        assertEquals(LockFixtures.lockValue(key), demo.get("signature").asText());
        assertTrue(demo.get("direct").asBoolean());

        // KCL package: the highest tag in ^1.0, pinned to its plain-tar layer.
        JsonNode k8s = dependency(answer, "k8s");
        assertEquals("1.1.0", k8s.get("version").asText());
        String kclDigest = LockFixtures.sha256(LockFixtures.kclTar("k8s", "1.1.0", "k8s 1.1.0"));
        assertEquals(kclDigest, fixtures.pinnedLayer("kcl/k8s", "1.1.0").toString());
        assertEquals(kclDigest, k8s.get("digest").asText());
        assertFalse(kclDigest.equals(fixtures.manifestDigest("kcl/k8s", "1.1.0").toString()), "the layer, not the manifest");

        // akua 0.8.5's writer: header, version = 1, entries sorted by name, field order of §4.2.
        String expected = "# akua.lock — machine-maintained. Never hand-edit.\n"
                + "# Regenerated by `akua add`, `akua pull`, `akua publish`, `akua update`.\n\n"
                + "version = 1\n\n"
                + "[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\nsource = \"" + fixtures.ref("charts/demo") + "\"\n"
                + "digest = \"" + chartDigest + "\"\nsignature = \"" + LockFixtures.lockValue(key) + "\"\n\n"
                + "[[package]]\nname = \"k8s\"\nversion = \"1.1.0\"\nsource = \"" + fixtures.ref("kcl/k8s") + "\"\n"
                + "digest = \"" + kclDigest + "\"\nsignature = \"" + LockFixtures.lockValue(key) + "\"\n";
        assertEquals(expected, answer.get("lock").asText());
        assertTrue(answer.get("report").asText().contains("+ demo: new entry demo@0.1.0"), answer.get("report").asText());

        // the same request in check mode against that lock: no drift
        Http.Resp check = post(request(manifest, expected, "check", true));
        assertEquals(200, check.status(), check::text);
        assertFalse(check.json().get("drift").asBoolean(), check::text);
        assertEquals(0, check.json().get("exitCode").asInt());
        assertEquals(0, check.json().get("drifts").size());
        assertTrue(check.json().get("report").asText().startsWith("akua.lock is up to date (2 packages)"), check::text);
    }

    @Test
    void lock_kclEcosystemExampleShapeWithoutStrictSigning_writesAkuasLayout() throws Exception {
        // shared/akua-examples/10-kcl-ecosystem: strict_signing = false, one unsigned-tolerant KCL dep.
        String manifest = "[package]\nname    = \"10-kcl-ecosystem\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\n"
                + "strict_signing = false\n\n[dependencies]\nk8s = { oci = \"" + fixtures.ref("kcl/k8s") + "\", version = \"2.0.0\" }\n";
        Http.Resp r = post(request(manifest, null, "resolve", false));
        assertEquals(200, r.status(), r::text);
        JsonNode k8s = dependency(r.json(), "k8s");
        assertTrue(k8s.get("signature").isNull(), "no key given: nothing verified, nothing claimed");
        assertTrue(k8s.get("notes").get(0).asText().contains("does not verify"), r::text);
        assertEquals("# akua.lock — machine-maintained. Never hand-edit.\n"
                + "# Regenerated by `akua add`, `akua pull`, `akua publish`, `akua update`.\n\n"
                + "version = 1\n\n[[package]]\nname = \"k8s\"\nversion = \"2.0.0\"\nsource = \"" + fixtures.ref("kcl/k8s") + "\"\n"
                + "digest = \"" + fixtures.pinnedLayer("kcl/k8s", "2.0.0") + "\"\n", r.json().get("lock").asText());
    }

    @Test
    void lock_unsignedChartUnderStrictSigning_refusedNamingTheDependency() throws Exception {
        String manifest = LockFixtures.manifest(true, "plain = { oci = \"" + fixtures.ref("charts/plain") + "\", version = \"0.1.0\" }");
        JsonNode error = assertLockError(post(request(manifest, null, null, true)), 422, "DENIED", "SIGNATURE_REQUIRED");
        assertEquals("plain", error.get("detail").get("dependency").asText());
        assertEquals(1, error.get("detail").get("exitCode").asInt());
        assertTrue(error.get("message").asText().contains("`plain`") && error.get("message").asText().contains("not signed"),
                error::toString);
    }

    @Test
    void lock_unsignedChartWithoutStrictSigning_pinnedWithoutSignatureAndNoted() throws Exception {
        String manifest = LockFixtures.manifest(false, "plain = { oci = \"" + fixtures.ref("charts/plain") + "\", version = \"0.1.0\" }");
        Http.Resp r = post(request(manifest, null, null, true));
        assertEquals(200, r.status(), r::text);
        JsonNode plain = dependency(r.json(), "plain");
        assertTrue(plain.get("signature").isNull());
        assertEquals(fixtures.pinnedLayer("charts/plain", "0.1.0").toString(), plain.get("digest").asText());
        assertTrue(plain.get("notes").get(0).asText().startsWith("unsigned"), r::text);
        assertFalse(r.json().get("lock").asText().contains("signature"), r::text);
        assertTrue(r.json().get("report").asText().contains("! plain: unsigned"), r::text);
    }

    @Test
    void lock_signedByAnotherKeyUnderStrictSigning_refused() throws Exception {
        String manifest = LockFixtures.manifest(true, "forged = { oci = \"" + fixtures.ref("kcl/forged") + "\", version = \"1.0.0\" }");
        JsonNode error = assertLockError(post(request(manifest, null, null, true)), 422, "DENIED", "SIGNATURE_REQUIRED");
        assertEquals("forged", error.get("detail").get("dependency").asText());
        assertTrue(error.get("message").asText().contains("does not verify with the workspace key"), error::toString);
    }

    @Test
    void lock_signedButNoKeyGivenUnderStrictSigning_refused() throws Exception {
        String manifest = LockFixtures.manifest(true, "demo = { oci = \"" + fixtures.ref("charts/demo") + "\", version = \"0.1.0\" }");
        JsonNode error = assertLockError(post(request(manifest, null, null, false)), 422, "DENIED", "SIGNATURE_REQUIRED");
        assertTrue(error.get("message").asText().contains("nothing to verify with"), error::toString);
    }

    @Test
    void checkLockUpdate_movedTag_driftReportedRefusedThenAccepted() throws Exception {
        byte[] first = LockFixtures.kclTar("moving", "1.0.0", "first");
        fixtures.pushKcl("kcl/moving", "1.0.0", first);
        fixtures.sign("kcl/moving", "1.0.0", key);
        String manifest = LockFixtures.manifest(true, "moving = { oci = \"" + fixtures.ref("kcl/moving") + "\", version = \"1.0.0\" }");
        Http.Resp locked = post(request(manifest, null, "lock", true));
        assertEquals(200, locked.status(), locked::text);
        String lock = locked.json().get("lock").asText();
        assertTrue(lock.contains(LockFixtures.sha256(first)));

        // the publisher moves the tag to new content (and signs it): check must see it
        byte[] second = LockFixtures.kclTar("moving", "1.0.0", "second");
        fixtures.pushKcl("kcl/moving", "1.0.0", second);
        fixtures.sign("kcl/moving", "1.0.0", key);

        Http.Resp check = post(request(manifest, lock, "check", true));
        assertEquals(200, check.status(), check::text);
        JsonNode answer = check.json();
        assertTrue(answer.get("drift").asBoolean());
        assertEquals(1, answer.get("exitCode").asInt());
        JsonNode drift = answer.get("drifts").get(0);
        assertEquals("moving", drift.get("name").asText());
        assertEquals("DIGEST_CHANGED", drift.get("kind").asText());
        assertEquals(LockFixtures.sha256(first), drift.get("before").asText());
        assertEquals(LockFixtures.sha256(second), drift.get("after").asText());
        assertTrue(answer.get("report").asText().contains("content changed under a pinned version"), answer::toString);

        // lock never updates silently
        JsonNode error = assertLockError(post(request(manifest, lock, "lock", true)), 409, "MANIFEST_INVALID", "DRIFT");
        assertEquals("moving", error.get("detail").get("dependency").asText());
        assertTrue(error.get("message").asText().contains("lock --update"), error::toString);

        // update accepts the new content
        Http.Resp update = post(request(manifest, lock, "update", true));
        assertEquals(200, update.status(), update::text);
        String updated = update.json().get("lock").asText();
        assertTrue(updated.contains(LockFixtures.sha256(second)) && !updated.contains(LockFixtures.sha256(first)), updated);
        assertEquals(lock.replace(LockFixtures.sha256(first), LockFixtures.sha256(second)), updated);

        Http.Resp recheck = post(request(manifest, updated, "check", true));
        assertFalse(recheck.json().get("drift").asBoolean(), recheck::text);
    }

    @Test
    void lock_unknownTag_422NotFoundNamingTheDependency() throws Exception {
        String manifest = LockFixtures.manifest(true, "demo = { oci = \"" + fixtures.ref("charts/demo") + "\", version = \"9.9.9\" }");
        JsonNode error = assertLockError(post(request(manifest, null, null, true)), 422, "MANIFEST_UNKNOWN", "NOT_FOUND");
        assertEquals("demo", error.get("detail").get("dependency").asText());
    }

    @Test
    void lock_upstreamUnreachable_502FailClosed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String manifest = LockFixtures.manifest(true, "gone = { oci = \"oci://127.0.0.1:" + closedPort + "/x/y\", version = \"1.0.0\" }");
        JsonNode error = assertLockError(post(request(manifest, null, null, true)), 502, "UNAVAILABLE", "REMOTE_FAILED");
        assertEquals("gone", error.get("detail").get("dependency").asText());
        assertEquals(2, error.get("detail").get("exitCode").asInt());
    }

    @Test
    void lock_badInput_clear4xxInTheSpecEnvelope() throws Exception {
        String good = LockFixtures.manifest(false, "");
        // not JSON, wrong media type, empty, duplicate keys, unknown field, wrong types, bad mode
        http.send(http.request("/api/v1/lock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{manifest"))).assertError(400, "MANIFEST_INVALID");
        http.send(http.request("/api/v1/lock").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).assertError(415, "MANIFEST_INVALID");
        http.send(http.request("/api/v1/lock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())).assertError(400, "MANIFEST_INVALID");
        http.send(http.request("/api/v1/lock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"manifest\":\"a\",\"manifest\":\"b\"}"))).assertError(400, "MANIFEST_INVALID");
        ObjectNode unknown = request(good, null, null, false);
        unknown.put("manfest", "x");
        assertTrue(post(unknown).assertError(400, "MANIFEST_INVALID").text().contains("manfest"));
        ObjectNode notText = JSON.createObjectNode();
        notText.put("manifest", 42);
        post(notText).assertError(400, "MANIFEST_INVALID");
        post(JSON.createObjectNode()).assertError(400, "MANIFEST_INVALID");
        post(request(good, null, "sideways", false)).assertError(400, "MANIFEST_INVALID");

        // documents that break akua's rules name the reason
        assertLockError(post(request("[package\nname=", null, null, false)), 400, "MANIFEST_INVALID", "MANIFEST_INVALID");
        assertLockError(post(request(good, "version = 7\n", "check", false)), 400, "MANIFEST_INVALID", "LOCK_INVALID");
        assertLockError(post(request(LockFixtures.manifest(false, "x = { oci = \"oci://127.0.0.1/a\" }"), null, null, false)),
                400, "MANIFEST_INVALID", "MANIFEST_INVALID");
        // the server has no workspace: path dependencies cannot be locked through the API
        JsonNode path = assertLockError(post(request(LockFixtures.manifest(false, "local = { path = \"./vendor/x\" }"), null, null, false)),
                422, "UNSUPPORTED", "UNSUPPORTED_SOURCE");
        assertEquals("local", path.get("detail").get("dependency").asText());

        // size cap
        ObjectNode big = request(good + "#" + "x".repeat(1_100_000) + "\n", null, null, false);
        post(big).assertError(413, "MANIFEST_INVALID");

        // only POST
        Http.Resp get = http.get("/api/v1/lock");
        get.assertError(405, "UNSUPPORTED");
        assertEquals("POST", get.header("Allow").orElse(""));

        // an empty dependency list locks to akua's empty lock
        Http.Resp empty = post(request(good, null, null, false));
        assertEquals(200, empty.status(), empty::text);
        assertTrue(empty.json().get("lock").asText().endsWith("version = 1\npackage = []\n"), empty::text);
    }

    @Test
    void lock_defaultAddressPolicy_refusesLoopbackUpstreamFailClosed(@TempDir Path other) throws Exception {
        try (TestRegistry strict = TestRegistry.start(other)) {
            Http strictHttp = new Http(strict.base());
            String manifest = LockFixtures.manifest(true, "demo = { oci = \"" + fixtures.ref("charts/demo") + "\", version = \"0.1.0\" }");
            ObjectNode body = request(manifest, null, null, true);
            Http.Resp r = strictHttp.send(LockFixtures.lockRequest(strictHttp, body));
            r.assertError(502, "UNAVAILABLE");
            JsonNode error = r.json().get("errors").get(0);
            assertEquals("REMOTE_FAILED", error.get("detail").get("reason").asText());
            assertTrue(error.get("message").asText().toLowerCase(java.util.Locale.ROOT).contains("refused"), error::toString);
        }
    }

    @Test
    void lockApi_disabled_notServed(@TempDir Path other) {
        try (TestRegistry off = TestRegistry.start(other, Map.of("AKUA_REGISTRY_LOCK_ENABLED", "false"))) {
            Http offHttp = new Http(off.base());
            Http.Resp r = offHttp.send(offHttp.request("/api/v1/lock").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"manifest\":\"\"}")));
            assertEquals(404, r.status(), r::text);
        }
    }
}
