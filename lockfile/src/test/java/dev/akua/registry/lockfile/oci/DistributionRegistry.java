package dev.akua.registry.lockfile.oci;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry for tests: CNCF Distribution 2.8 as Debian's {@code docker-registry}
 * (ECOSYSTEM.md §5), on 127.0.0.1 at a free port with filesystem storage in a temporary directory.
 * Also a minimal pusher (monolithic POST + PUT, manifest PUT), the way akua itself pushes (§1.3).
 */
final class DistributionRegistry implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    DistributionRegistry(Path dir) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package docker-registry");
        }
        this.port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log: { level: error }
                storage: { filesystem: { rootdirectory: %s }, delete: { enabled: true } }
                http: { addr: 127.0.0.1:%d }
                """.formatted(dir.resolve("data"), port));
        this.process = new ProcessBuilder(BINARY.toString(), "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("docker-registry did not start; see " + dir.resolve("registry.log"));
            }
            Thread.sleep(50);
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /** Pushes a blob; returns its digest. */
    String pushBlob(String repo, byte[] content) throws Exception {
        String digest = "sha256:" + sha256(content);
        HttpResponse<Void> post = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        String location = post.headers().firstValue("Location").orElseThrow(() -> new IOException("no upload Location: " + post.statusCode()));
        URI upload = URI.create("http://" + host()).resolve(location);
        String put = upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + digest;
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(put)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IOException("blob PUT answered " + done.statusCode() + ": " + done.body());
        }
        return digest;
    }

    /** Pushes manifest bytes under a tag; returns the manifest digest. */
    String pushManifest(String repo, String tag, String manifest) throws Exception {
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IOException("manifest PUT answered " + put.statusCode() + ": " + put.body());
        }
        return "sha256:" + sha256(bytes);
    }

    /** The raw manifest bytes under a tag. */
    byte[] manifest(String repo, String tag) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + tag))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private boolean listening() {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
