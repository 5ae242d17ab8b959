package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.storage.s3.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stateless replicas over one S3 bucket, as behind a load balancer: any request, each chunk of
 * an upload included, may land on either. Mutable pointers (tags, manifest revisions) are cached for
 * at most {@code storage.pointerTtlSeconds}; that is the documented bound on how long one replica
 * may still serve what another changed (docs/storage.md).
 */
class S3ReplicasTest {
    static final int TTL_SECONDS = 2;
    static final int MIB = 1024 * 1024;
    @TempDir
    static Path dir;
    static TestRegistry a;
    static TestRegistry b;
    static Http ha;
    static Http hb;

    @BeforeAll
    static void start() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        Map<String, String> env = new HashMap<>(s3.registryEnv(s3.createBucket()));
        env.put("AKUA_REGISTRY_STORAGE_POINTERTTLSECONDS", String.valueOf(TTL_SECONDS));
        a = TestRegistry.start(dir.resolve("a"), env);
        b = TestRegistry.start(dir.resolve("b"), env);
        ha = new Http(a.base());
        hb = new Http(b.base());
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void chunkedUpload_alternatingReplicas_completes() {
        byte[] blob = Oci.random(12 * MIB + 321, 41);
        Http.Resp start = ha.post("/v2/replicas/chunked/blobs/uploads/");
        assertEquals(202, start.status(), start::text);
        assertEquals(String.valueOf(5 * MIB), start.header("OCI-Chunk-Min-Length").orElseThrow(),
                "the S3 driver asks for chunks of at least one multipart part");
        String location = start.header("Location").orElseThrow();
        int[] cuts = {0, 5 * MIB, 11 * MIB, blob.length};
        Http[] replicas = {hb, ha, hb};
        for (int i = 0; i + 1 < cuts.length - 1; i++) {
            Http.Resp r = replicas[i].patch(location, Arrays.copyOfRange(blob, cuts[i], cuts[i + 1]), cuts[i] + "-" + (cuts[i + 1] - 1));
            assertEquals(202, r.status(), r::text);
            assertEquals("0-" + (cuts[i + 1] - 1), r.header("Range").orElseThrow());
            location = r.header("Location").orElseThrow();
        }
        Http.Resp status = ha.get(location);
        assertEquals("0-" + (cuts[2] - 1), status.header("Range").orElseThrow(), "either replica reports the same offset");
        Digest d = Digest.sha256(blob);
        Http.Resp done = hb.put(Http.withQuery(location, "digest=" + d), Arrays.copyOfRange(blob, cuts[2], cuts[3]),
                "application/octet-stream");
        assertEquals(201, done.status(), done::text);
        assertArrayEquals(blob, ha.get("/v2/replicas/chunked/blobs/" + d).body());
        assertArrayEquals(blob, hb.get("/v2/replicas/chunked/blobs/" + d).body());
    }

    @Test
    void manifestPushedOnOne_pulledFromTheOther() {
        Digest d = new Oci(ha).pushImage("replicas/pull", "1.0.0", "pushed on a", "");
        Http.Resp m = hb.get("/v2/replicas/pull/manifests/1.0.0", "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, m.status(), m::text);
        assertEquals(d, Digest.sha256(m.body()));
        assertEquals(200, hb.get("/v2/replicas/pull/manifests/" + d).status());
        assertTrue(hb.get("/v2/replicas/pull/tags/list").text().contains("1.0.0"));
    }

    @Test
    void tagMovedOnOne_seenByTheOtherWithinTheBound() throws Exception {
        Oci oa = new Oci(ha);
        Digest first = oa.pushImage("replicas/tags", "latest", "first", "");
        assertEquals(first.toString(), hb.head("/v2/replicas/tags/manifests/latest").header("Docker-Content-Digest").orElseThrow(),
                "b has read (and cached) the tag");
        Digest second = oa.pushImage("replicas/tags", "latest", "second", "");
        long moved = System.nanoTime();
        Duration seenAfter = awaitOnB("/v2/replicas/tags/manifests/latest", second.toString());
        assertTrue(seenAfter.compareTo(Duration.ofSeconds(TTL_SECONDS).plusMillis(1500)) <= 0,
                "b saw the moved tag after " + seenAfter.toMillis() + " ms; the bound is " + TTL_SECONDS + " s");
        assertEquals(second.toString(), ha.head("/v2/replicas/tags/manifests/latest").header("Docker-Content-Digest").orElseThrow(),
                "the replica that moved it never serves the old one");

        // a delete, too: after the bound no replica answers HEAD with 200
        assertEquals(200, hb.head("/v2/replicas/tags/manifests/" + second).status());
        assertEquals(202, ha.delete("/v2/replicas/tags/manifests/" + second).status());
        long deleted = System.nanoTime();
        while (hb.head("/v2/replicas/tags/manifests/" + second).status() != 404) {
            assertTrue(Duration.ofNanos(System.nanoTime() - deleted).compareTo(Duration.ofSeconds(TTL_SECONDS).plusMillis(1500)) <= 0,
                    "b still serves a deleted manifest beyond the bound");
            Thread.sleep(50);
        }
        assertEquals(404, hb.head("/v2/replicas/tags/manifests/latest").status());
        assertTrue(moved < deleted);
    }

    private static Duration awaitOnB(String path, String digest) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            String seen = hb.head(path).header("Docker-Content-Digest").orElse("");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (seen.equals(digest)) {
                return elapsed;
            }
            assertTrue(elapsed.compareTo(Duration.ofSeconds(TTL_SECONDS + 5)) < 0, "b never saw " + digest);
            Thread.sleep(50);
        }
    }

    @Test
    void blobGet_withRedirectsEnabled_is307ToAPresignedUrl() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        Map<String, String> env = new HashMap<>(s3.registryEnv(s3.createBucket()));
        env.put("AKUA_REGISTRY_STORAGE_S3_REDIRECT_ENABLED", "true");
        env.put("AKUA_REGISTRY_STORAGE_S3_REDIRECT_TTLSECONDS", "60");
        try (TestRegistry redirecting = TestRegistry.start(dir.resolve("redirect"), env)) {
            Http h = new Http(redirecting.base());
            byte[] content = Oci.random(100_000, 5);
            Digest d = new Oci(h).pushBlob("replicas/redirect", content);
            Http.Resp get = h.get("/v2/replicas/redirect/blobs/" + d);
            assertEquals(307, get.status(), get::text);
            assertEquals("no-store", get.header("Cache-Control").orElseThrow());
            String location = get.header("Location").orElseThrow();
            assertTrue(location.startsWith(s3.endpoint().toString()) && location.contains("X-Amz-Signature="), location);
            HttpURLConnection c = (HttpURLConnection) URI.create(location).toURL().openConnection();
            assertEquals(200, c.getResponseCode());
            try (var in = c.getInputStream()) {
                assertArrayEquals(content, in.readAllBytes());
            }
            Http.Resp head = h.head("/v2/replicas/redirect/blobs/" + d);
            assertEquals(200, head.status(), "HEAD is answered by the registry");
            assertEquals(String.valueOf(content.length), head.header("Content-Length").orElseThrow());
            assertEquals(404, h.get("/v2/replicas/redirect/blobs/" + Digest.sha256(utf8("absent"))).status(),
                    "only blobs the repository holds are redirected");
        }
    }
}
