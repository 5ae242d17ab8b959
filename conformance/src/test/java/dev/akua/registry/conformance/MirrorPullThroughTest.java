package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.akua.registry.conformance.MirrorFixtures.Distribution;
import dev.akua.registry.conformance.MirrorFixtures.Image;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull-through cache (issue 9) with real clients: skopeo pulls through this registry from CNCF
 * Distribution 2.8 (filled with skopeo) under the prefix {@code mirror/dist}; the first pull fetches,
 * the second is served locally, and with the upstream stopped everything pulled before still is.
 */
class MirrorPullThroughTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closing.add(c);
        return c;
    }

    private TestRegistry mirrorOf(String upstreamBase, String extra) {
        return closing(TestRegistry.start(dir.resolve("mirror"), """
                mirror:
                  upstreams:
                    - name: dist
                      url: %s
                      prefix: mirror/dist
                      tagTtlSeconds: 0
                %s""".formatted(upstreamBase, extra), java.util.Map.of("AKUA_REGISTRY_MIRROR_REMOTE_ALLOWLOOPBACK", "true")));
    }

    @Test
    void skopeoPull_firstFetchesSecondIsLocalAndUpstreamStoppedStillServed() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), null, null));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        Image v1 = MirrorFixtures.image(l, "v1", 3 << 20);
        byte[] amd64 = l.image("amd64", "multi-a");
        byte[] arm64 = l.image("arm64", "multi-b");
        byte[] index = l.index(amd64, arm64);
        l.ref("v1", MediaTypes.OCI_MANIFEST, v1.manifest());
        l.ref("multi", MediaTypes.OCI_INDEX, index);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/acme/app:v1");
        MirrorFixtures.skopeoPush(dir, layout, "multi", upstream.hostPort() + "/acme/app:multi", "--all");
        TestRegistry mirror = mirrorOf(upstream.base(), "");
        String ref = mirror.hostPort() + "/mirror/dist/acme/app";
        String layerGet = "/v2/acme/app/blobs/" + v1.layer();

        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "docker://" + ref + ":v1", "oci:" + dir.resolve("first") + ":v1");
        Tools.ok(dir, "skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + ref + ":multi", "oci:" + dir.resolve("first") + ":multi");
        assertEquals(v1.digest(), OciLayout.refDigest(dir.resolve("first"), "v1"));
        assertEquals(Digest.sha256(index), OciLayout.refDigest(dir.resolve("first"), "multi"));
        assertEquals(1, upstream.requests("GET", layerGet), "the first pull fetched the layer from the upstream");

        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "docker://" + ref + ":v1", "oci:" + dir.resolve("second") + ":v1");
        assertEquals(1, upstream.requests("GET", layerGet), "the second pull was served locally");
        assertEquals(v1.digest(), OciLayout.refDigest(dir.resolve("second"), "v1"));

        upstream.stop();
        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "docker://" + ref + ":v1", "oci:" + dir.resolve("offline") + ":v1");
        Tools.ok(dir, "skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + ref + ":multi", "oci:" + dir.resolve("offline") + ":multi");
        assertEquals(v1.digest(), OciLayout.refDigest(dir.resolve("offline"), "v1"));
        assertEquals(Digest.sha256(index), OciLayout.refDigest(dir.resolve("offline"), "multi"));
        assertArrayEquals(v1.layerBytes(), Files.readAllBytes(dir.resolve("offline/blobs/sha256/" + v1.layer().hex())));
        // never pulled while the upstream answered: unavailable, said so
        new Http(mirror.base()).get("/v2/mirror/dist/acme/app/manifests/v2").assertError(503, "UNAVAILABLE");
    }

    @Test
    void blobGet_twentyConcurrentPullsOfAnUncachedBlob_oneUpstreamFetch() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), null, null));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        Image big = MirrorFixtures.image(l, "big", 16 << 20);
        l.ref("v1", MediaTypes.OCI_MANIFEST, big.manifest());
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/acme/big:v1");
        MirrorFixtures.CuttingProxy slow = closing(new MirrorFixtures.CuttingProxy(upstream.port()));
        slow.slowDown(2);   // ~2 s for the 16 MiB layer: all twenty pulls arrive while the one fetch runs
        TestRegistry mirror = mirrorOf(slow.base(), "");
        URI blob = URI.create(mirror.base() + "/v2/mirror/dist/acme/big/blobs/" + big.layer());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> pulls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pulls.add(pool.submit(() -> {
                    go.await();
                    HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(blob).build(), HttpResponse.BodyHandlers.ofInputStream());
                    assertEquals(200, r.statusCode());
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = r.body()) {
                        byte[] buf = new byte[65536];
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            md.update(buf, 0, n);
                        }
                    }
                    return Digest.fromHash(dev.akua.registry.oci.DigestAlgorithm.SHA256, md.digest()).toString();
                }));
            }
            go.countDown();
            for (Future<String> pull : pulls) {
                assertEquals(big.layer().toString(), pull.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, upstream.requests("GET", "/v2/acme/big/blobs/" + big.layer()), "one upstream fetch for twenty pulls");
    }

    @Test
    void blobGet_upstreamSendsOtherBytes_clientGetsABrokenBodyAndNothingIsCached() throws Exception {
        byte[] real = Oci.random(600_000, 1);
        byte[] forged = Oci.random(600_000, 2);
        Digest digest = Digest.sha256(real);
        WireMockServer fake = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        fake.start();
        closing(fake::stop);
        fake.stubFor(get(urlEqualTo("/v2/acme/app/blobs/" + digest)).willReturn(aResponse().withStatus(200).withBody(forged)));
        TestRegistry mirror = mirrorOf("http://127.0.0.1:" + fake.port(), "");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI blob = URI.create(mirror.base() + "/v2/mirror/dist/acme/app/blobs/" + digest);

        for (int attempt = 0; attempt < 2; attempt++) {
            // Two correct outcomes, depending on whether the mismatch is found before the first byte
            // went out: a clean 503 UNAVAILABLE envelope, or a connection cut short of the
            // Content-Length. Never a complete 200.
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(blob).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(503, r.statusCode(), "the client must not receive a complete body: " + new String(r.body()));
                assertTrue(new String(r.body()).contains("\"UNAVAILABLE\""), new String(r.body()));
            } catch (IOException e) {
                assertTrue(e.getMessage() != null);
            }
        }
        assertFalse(Files.exists(StorageBackend.files(dir.resolve("mirror")).resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex())),
                "content that does not match its digest is never stored");
    }

    @Test
    void tagsList_underPrefix_listsUpstreamTagsAndTheCacheWhenUpstreamIsDown() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), null, null));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        byte[] one = l.image("amd64", "one");
        l.ref("1.0", MediaTypes.OCI_MANIFEST, one);
        l.ref("2.0", MediaTypes.OCI_MANIFEST, one);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "1.0", upstream.hostPort() + "/acme/app:1.0");
        MirrorFixtures.skopeoPush(dir, layout, "2.0", upstream.hostPort() + "/acme/app:2.0");
        TestRegistry mirror = mirrorOf(upstream.base(), "");
        Http http = new Http(mirror.base());

        JsonNode tags = http.get("/v2/mirror/dist/acme/app/tags/list").json();
        assertEquals("[\"1.0\",\"2.0\"]", tags.get("tags").toString());
        assertEquals(200, http.get("/v2/mirror/dist/acme/app/manifests/1.0", "Accept", MediaTypes.OCI_MANIFEST).status());

        upstream.stop();
        JsonNode cached = http.get("/v2/mirror/dist/acme/app/tags/list").json();
        assertEquals("[\"1.0\"]", cached.get("tags").toString(), "offline, the cached tags are listed");
    }

    @Test
    void skopeoPull_upstreamWithBasicAuth_credentialsFromFile() throws Exception {
        Distribution upstream = closing(new Distribution(dir.resolve("upstream"), "mirror-bot", "s3cret"));
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        byte[] one = l.image("amd64", "auth");
        l.ref("v1", MediaTypes.OCI_MANIFEST, one);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/private/app:v1", "--dest-creds", "mirror-bot:s3cret");
        Files.writeString(dir.resolve("password"), "s3cret\n");
        TestRegistry mirror = mirrorOf(upstream.base(), """
                      username: mirror-bot
                      passwordFile: %s
                """.formatted(dir.resolve("password")));

        Tools.ok(dir, "skopeo", "copy", "--src-tls-verify=false", "docker://" + mirror.hostPort() + "/mirror/dist/private/app:v1",
                "oci:" + dir.resolve("pulled") + ":v1");
        assertEquals(Digest.sha256(one), OciLayout.refDigest(dir.resolve("pulled"), "v1"));
    }
}
