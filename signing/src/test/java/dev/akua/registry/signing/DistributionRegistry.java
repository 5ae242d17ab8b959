package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.Descriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real CNCF Distribution registry ({@code docker-registry} 2.8, Debian package
 * {@code docker-registry}) on 127.0.0.1 and a random port, with a minimal HTTP client, and an
 * implementation of {@link SignatureContent} over it (it has no referrers API, so referrers are empty).
 */
final class DistributionRegistry implements SignatureContent, AutoCloseable {
    private final Process process;
    final String host;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DistributionRegistry(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        host = "127.0.0.1:" + port;
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, "version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: " + dir.resolve("data")
                + " }, delete: { enabled: true } }\nhttp: { addr: " + host + " }\n");
        try {
            process = new ProcessBuilder("docker-registry", "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        } catch (IOException e) {
            fail("the docker-registry binary is required for this test (apt-get install docker-registry): " + e.getMessage());
            throw e;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        close();
        fail("docker-registry did not start; see " + dir.resolve("registry.log"));
    }

    Digest pushBlob(RepositoryName repo, byte[] bytes) throws Exception {
        Digest d = Digest.sha256(bytes);
        HttpResponse<Void> post = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        String location = post.headers().firstValue("Location").orElseThrow();
        URI put = URI.create(location.startsWith("http") ? location : "http://" + host + location);
        String sep = put.getQuery() == null ? "?" : "&";
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(put + sep + "digest=" + d))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            fail("blob upload failed: " + done.statusCode() + " " + done.body());
        }
        return d;
    }

    Digest pushManifest(RepositoryName repo, String reference, String mediaType, byte[] bytes) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            fail("manifest push failed: " + r.statusCode() + " " + r.body());
        }
        return Digest.sha256(bytes);
    }

    /** Pushes what a {@link ServerSigner} produced, blobs first. */
    void push(RepositoryName repo, SigningResult result) throws Exception {
        for (BlobUpload b : result.blobs()) {
            pushBlob(repo, b.content());
        }
        for (ManifestUpload m : result.manifests()) {
            pushManifest(repo, m.tag() != null ? m.tag().value() : m.digest().toString(), m.mediaType(), m.content());
        }
    }

    @Override
    public Optional<byte[]> manifest(RepositoryName repository, Reference reference) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository + "/manifests/" + reference))
                    .header("Accept", MediaTypes.OCI_MANIFEST).header("Accept", MediaTypes.DOCKER_MANIFEST).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repository, Digest subject) {
        return List.of();
    }

    @Override
    public Optional<InputStream> openBlob(RepositoryName repository, Digest digest) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository + "/blobs/" + digest)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(new ByteArrayInputStream(r.body())) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
