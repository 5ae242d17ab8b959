package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.storage.s3.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 server goes away in the middle of an upload: the registry answers 503 UNAVAILABLE with
 * Retry-After (a reason to retry, not a server bug), keeps nothing half-written, and once the
 * server is back the same upload resumes from the offset it reports and the push succeeds.
 */
class S3OutageTest {
    static final int MIB = 1024 * 1024;
    @TempDir
    Path dir;

    @Test
    void s3StoppedMidUpload_is503WithRetryAfter_nothingCorrupt_pushSucceedsAfterRestart() throws Exception {
        try (S3TestServer s3 = S3TestServer.start(dir.resolve("s3"));
             TestRegistry registry = TestRegistry.start(dir.resolve("registry"), s3.registryEnv(s3.createBucket()))) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            Digest committed = oci.pushImage("outage/app", "1.0.0", "committed before the outage", "");

            byte[] blob = Oci.random(18 * MIB + 77, 3);
            String location = http.post("/v2/outage/app/blobs/uploads/").header("Location").orElseThrow();
            Http.Resp first = http.patch(location, Arrays.copyOfRange(blob, 0, 6 * MIB), "0-" + (6 * MIB - 1));
            assertEquals(202, first.status(), first::text);
            location = first.header("Location").orElseThrow();

            // Second chunk, 12 MiB: the client sends 9 MiB, S3 stops, then the rest follows (more than one multipart part).
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            byte[] second = Arrays.copyOfRange(blob, 6 * MIB, blob.length);
            HttpRequest patch = HttpRequest.newBuilder(URI.create(http.url(location)))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", (6 * MIB) + "-" + (blob.length - 1))
                    .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new PausingStream(second, 9 * MIB, paused, resume)),
                            second.length))
                    .timeout(Duration.ofSeconds(120))
                    .build();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> pending = client.sendAsync(patch, HttpResponse.BodyHandlers.ofString());
            assertTrue(paused.await(60, TimeUnit.SECONDS), "the chunk started streaming");
            s3.stop();
            resume.countDown();
            HttpResponse<String> failed = pending.get(120, TimeUnit.SECONDS);
            assertEquals(503, failed.statusCode(), failed::body);
            assertTrue(failed.body().contains("\"UNAVAILABLE\""), failed.body());
            assertTrue(failed.headers().firstValue("Retry-After").isPresent(), "Retry-After tells clients when to come back");

            // while S3 is down, every request that needs storage says the same
            http.head("/v2/outage/app/blobs/" + Digest.sha256(blob)).status(); // HEAD has no body to check
            Http.Resp down = http.get("/v2/outage/app/blobs/" + committed);
            down.assertError(503, "UNAVAILABLE");
            assertTrue(down.header("Retry-After").isPresent());

            s3.restart();
            Http.Resp status = http.get(location);
            assertEquals(204, status.status(), status::text);
            assertEquals("0-" + (6 * MIB - 1), status.header("Range").orElseThrow(),
                    "nothing of the failed chunk is visible: the upload stands where it stood before");
            Http.Resp again = http.patch(status.header("Location").orElseThrow(), second, (6 * MIB) + "-" + (blob.length - 1));
            assertEquals(202, again.status(), again::text);
            Digest d = Digest.sha256(blob);
            Http.Resp done = http.put(Http.withQuery(again.header("Location").orElseThrow(), "digest=" + d), new byte[0], null);
            assertEquals(201, done.status(), done::text);

            byte[] config = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
            Digest c = oci.pushBlob("outage/app", config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                    + MediaTypes.OCI_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + c + "\"},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + blob.length + ",\"digest\":\"" + d + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            assertEquals(201, oci.putManifest("outage/app", "2.0.0", manifest, MediaTypes.OCI_MANIFEST).status());
            assertArrayEquals(manifest, http.get("/v2/outage/app/manifests/2.0.0", "Accept", MediaTypes.OCI_MANIFEST).body());
            assertArrayEquals(blob, http.get("/v2/outage/app/blobs/" + d).body());
            Http.Resp before = http.get("/v2/outage/app/manifests/1.0.0", "Accept", MediaTypes.OCI_MANIFEST);
            assertEquals(committed, Digest.sha256(before.body()), "what was committed before the outage is intact");
        }
    }

    /** Serves {@code bytes}, stopping after {@code pauseAt} until the test lets it continue. */
    private static final class PausingStream extends InputStream {
        private final byte[] bytes;
        private final int pauseAt;
        private final CountDownLatch paused;
        private final CountDownLatch resume;
        private int pos;

        PausingStream(byte[] bytes, int pauseAt, CountDownLatch paused, CountDownLatch resume) {
            this.bytes = bytes;
            this.pauseAt = pauseAt;
            this.paused = paused;
            this.resume = resume;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == pauseAt) {
                paused.countDown();
                try {
                    if (!resume.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("the test never resumed the body");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            if (pos >= bytes.length) {
                return -1;
            }
            int limit = pos < pauseAt ? pauseAt : bytes.length;
            int n = Math.min(len, limit - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
