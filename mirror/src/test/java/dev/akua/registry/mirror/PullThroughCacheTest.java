package dev.akua.registry.mirror;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.remote.oci.DistributionRegistry;
import dev.akua.registry.remote.oci.RegistryLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PullThroughCacheTest {
    private static final RepositoryName REPO = RepositoryName.parse("mirror/up/acme/app");

    private static byte[] readAll(PullThroughCache cache, RepositoryName repo, Digest digest, LocalRegistry local) throws IOException {
        Optional<BlobDelivery> delivery = cache.openBlob(repo, digest);
        if (delivery.isEmpty()) {
            try (InputStream in = local.storage.blobs().open(digest, 0)) {
                return in.readAllBytes();
            }
        }
        try (BlobDelivery d = delivery.get()) {
            return d.body().readAllBytes();
        }
    }

    @Test
    void pull_firstFetchesSecondLocalUpstreamStoppedStillServed(@TempDir Path dir) throws Exception {
        try (DistributionRegistry upstream = new DistributionRegistry(mkdir(dir.resolve("up")), null, null);
             LocalRegistry local = LocalRegistry.of(dir.resolve("local"),
                     List.of(LocalRegistry.upstream("up", upstream.base(), RegistryLogin.anonymous(), "mirror/up", Duration.ZERO)))) {
            Content.Image image = Content.image(upstream, "acme/app", "v1", "one", 300_000);
            PullThroughCache cache = local.mirror.pullThrough();
            Tag v1 = new Tag("v1");

            cache.prepareManifest(REPO, v1);
            assertEquals(Digest.parse(image.digest()), local.storage.tags().resolve(REPO, v1).orElseThrow());
            assertArrayEquals(image.manifest(), local.storage.manifests().get(REPO, v1).orElseThrow().bytes());
            byte[] layer = readAll(cache, REPO, Digest.parse(image.layer()), local);
            assertArrayEquals(Content.random(300_000, "one".hashCode()), layer);
            assertEquals(1, upstream.requests("GET", "/v2/acme/app/blobs/" + image.layer()));

            // second pull: the blob is local (no new upstream GET); the tag is revalidated by HEAD only (TTL 0)
            assertTrue(cache.openBlob(REPO, Digest.parse(image.layer())).isEmpty());
            cache.prepareManifest(REPO, v1);
            assertEquals(1, upstream.requests("GET", "/v2/acme/app/blobs/" + image.layer()));
            assertEquals(1, upstream.requests("GET", "/v2/acme/app/manifests/(v1|" + image.digest() + ")"));

            upstream.stop();
            cache.prepareManifest(REPO, v1);        // revalidation fails: the cached tag is served
            cache.prepareManifest(REPO, Digest.parse(image.digest()));
            assertEquals(Digest.parse(image.digest()), local.storage.tags().resolve(REPO, v1).orElseThrow());
            assertTrue(local.storage.links().isReadable(REPO, Digest.parse(image.layer())));
            // what was never fetched is unavailable, not "unknown"
            OciException e = assertThrows(OciException.class, () -> cache.prepareManifest(REPO, new Tag("v2")));
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
            OciException blob = assertThrows(OciException.class, () -> cache.openBlob(REPO, Digest.parse(image.config())));
            assertEquals(ErrorCode.UNAVAILABLE, blob.code());
        }
    }

    @Test
    void prepareManifest_tagMovedUpstreamAfterTtl_followsIt(@TempDir Path dir) throws Exception {
        try (DistributionRegistry upstream = new DistributionRegistry(mkdir(dir.resolve("up")), null, null);
             LocalRegistry local = LocalRegistry.of(dir.resolve("local"),
                     List.of(LocalRegistry.upstream("up", upstream.base(), RegistryLogin.anonymous(), "mirror/up", Duration.ofMillis(300))))) {
            Content.Image first = Content.image(upstream, "acme/app", "latest", "first", 1000);
            PullThroughCache cache = local.mirror.pullThrough();
            cache.prepareManifest(REPO, new Tag("latest"));
            Content.Image second = Content.image(upstream, "acme/app", "latest", "second", 1000);

            cache.prepareManifest(REPO, new Tag("latest"));   // within the TTL: still the first
            assertEquals(Digest.parse(first.digest()), local.storage.tags().resolve(REPO, new Tag("latest")).orElseThrow());
            Thread.sleep(400);
            cache.prepareManifest(REPO, new Tag("latest"));
            assertEquals(Digest.parse(second.digest()), local.storage.tags().resolve(REPO, new Tag("latest")).orElseThrow());
        }
    }

    @Test
    void openBlob_twentyConcurrentPulls_oneUpstreamFetchAndEveryoneGetsTheBytes(@TempDir Path dir) throws Exception {
        byte[] blob = Content.random(1 << 20, 42);
        Digest digest = Digest.sha256(blob);
        WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        // the upstream dribbles the blob out over ~1.5 s, so all twenty pulls overlap with the one fetch
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/blobs/" + digest)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Length", String.valueOf(blob.length)).withBody(blob).withChunkedDribbleDelay(30, 1500)));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (LocalRegistry local = LocalRegistry.of(dir, List.of(LocalRegistry.upstream("up",
                URI.create("http://127.0.0.1:" + upstream.port()), RegistryLogin.anonymous(), "mirror/up", Duration.ZERO)))) {
            PullThroughCache cache = local.mirror.pullThrough();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<byte[]>> pulls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pulls.add(pool.submit(() -> {
                    go.await();
                    return readAll(cache, REPO, digest, local);
                }));
            }
            go.countDown();
            for (Future<byte[]> pull : pulls) {
                assertArrayEquals(blob, pull.get());
            }
            upstream.verify(1, getRequestedFor(urlEqualTo("/v2/acme/app/blobs/" + digest)));
            assertEquals(1, cache.upstreamBlobFetches());
            assertTrue(local.storage.links().isReadable(REPO, digest));
        } finally {
            pool.shutdownNow();
            upstream.stop();
        }
    }

    @Test
    void openBlob_upstreamSendsOtherBytes_clientNeverGetsTheWholeBodyAndNothingIsStored(@TempDir Path dir) throws Exception {
        byte[] real = Content.random(200_000, 1);
        byte[] forged = Content.random(200_000, 2);
        Digest digest = Digest.sha256(real);
        WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/blobs/" + digest)).willReturn(aResponse().withStatus(200).withBody(forged)));
        try (LocalRegistry local = LocalRegistry.of(dir, List.of(LocalRegistry.upstream("up",
                URI.create("http://127.0.0.1:" + upstream.port()), RegistryLogin.anonymous(), "mirror/up", Duration.ZERO)))) {
            BlobDelivery delivery = local.mirror.pullThrough().openBlob(REPO, digest).orElseThrow();
            InputStream in = delivery.body();
            byte[] buf = new byte[8192];
            long got = 0;
            IOException failure = null;
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got += n;
                }
            } catch (IOException e) {
                failure = e;
            }
            delivery.close();
            assertTrue(failure != null, "the stream must fail");
            assertTrue(got < forged.length, "the last bytes are held back until the digest is verified");
            assertFalse(local.storage.links().isReadable(REPO, digest));
            assertTrue(local.storage.blobs().stat(digest).isEmpty());
        } finally {
            upstream.stop();
        }
    }

    @Test
    void prepareManifest_upstreamServesManifestNotMatchingDigest_refused502(@TempDir Path dir) throws Exception {
        byte[] manifest = Content.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + Content.descriptor(MediaTypes.OCI_CONFIG, "sha256:" + "a".repeat(64), 2) + ",\"layers\":[]}");
        Digest claimed = Digest.sha256(Content.utf8("something else"));
        WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(get(urlEqualTo("/v2/acme/app/manifests/" + claimed)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST).withBody(manifest)));
        try (LocalRegistry local = LocalRegistry.of(dir, List.of(LocalRegistry.upstream("up",
                URI.create("http://127.0.0.1:" + upstream.port()), RegistryLogin.anonymous(), "mirror/up", Duration.ZERO)))) {
            OciException e = assertThrows(OciException.class, () -> local.mirror.pullThrough().prepareManifest(REPO, claimed));
            assertEquals(502, e.status());
            assertTrue(local.storage.manifests().revision(REPO, claimed).isEmpty());
        } finally {
            upstream.stop();
        }
    }

    @Test
    void handles_onlyUnderPrefix() {
        PullThroughCache cache;
        try (LocalRegistry local = LocalRegistry.of(Path.of(System.getProperty("java.io.tmpdir"), "ptc-" + System.nanoTime()),
                List.of(LocalRegistry.upstream("up", URI.create("http://127.0.0.1:1"), RegistryLogin.anonymous(), "mirror/up", Duration.ZERO)))) {
            cache = local.mirror.pullThrough();
            assertTrue(cache.handles(REPO));
            assertFalse(cache.handles(RepositoryName.parse("mirror/up")));
            assertFalse(cache.handles(RepositoryName.parse("mirror/upx/app")));
            assertFalse(cache.handles(RepositoryName.parse("acme/app")));
        }
    }

    private static Path mkdir(Path p) throws IOException {
        return java.nio.file.Files.createDirectories(p);
    }
}
