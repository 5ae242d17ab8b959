package dev.akua.registry.remote.oci;

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
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CNCF Distribution 2.8 (Debian's {@code docker-registry}, ECOSYSTEM.md §5) as a real upstream:
 * 127.0.0.1, a free port kept across {@link #stop()}/{@link #start()}, optional htpasswd Basic auth,
 * request log at info level (so tests can count upstream requests), a minimal pusher (monolithic POST +
 * PUT, manifest PUT, as akua pushes, §1.3) and reader. Shared through remote's test-jar (lockfile and
 * mirror tests use it).
 */
public final class DistributionRegistry implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Path dir;
    private final int port;
    private final String authorization;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    /** Without auth. */
    public DistributionRegistry(Path dir) throws Exception {
        this(dir, null, null);
    }

    /** @param user null for no auth; else htpasswd Basic auth with this user and password */
    public DistributionRegistry(Path dir, String user, String password) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install the Debian package docker-registry (.ci/run does)");
        }
        this.dir = dir;
        this.port = freePort();
        String auth = "";
        if (user != null) {
            Process p = new ProcessBuilder("htpasswd", "-Bbn", user, password).start();
            byte[] line = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new AssertionError("htpasswd failed (Debian package apache2-utils)");
            }
            Files.write(dir.resolve("htpasswd"), line);
            auth = "auth: { htpasswd: { realm: basic-realm, path: " + dir.resolve("htpasswd") + " } }\n";
            authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log: { level: info, accesslog: { disabled: false } }
                storage: { filesystem: { rootdirectory: %s }, delete: { enabled: true } }
                http: { addr: 127.0.0.1:%d }
                """.formatted(dir.resolve("data"), port) + auth);
        start();
    }

    /** Starts (again) on the same port and data. */
    public void start() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("docker-registry did not start; see " + dir.resolve("registry.log"));
            }
            Thread.sleep(30);
        }
    }

    public void stop() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@code 127.0.0.1:<port>}, as image references and {@code oci://} URLs write it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** How many requests the upstream logged whose request line matches, e.g. {@code "GET /v2/a/blobs/sha256:…"}. */
    public int requests(String method, String pathRegex) throws IOException {
        String log = Files.readString(dir.resolve("registry.log"));
        Matcher m = Pattern.compile("\"" + method + " " + pathRegex + " HTTP/1\\.1\"").matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /** Pushes a blob; returns its digest. */
    public String pushBlob(String repo, byte[] content) throws Exception {
        String digest = "sha256:" + sha256(content);
        HttpResponse<Void> post = http.send(request(base() + "/v2/" + repo + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        String location = post.headers().firstValue("Location").orElseThrow(() -> new IOException("no upload Location: " + post.statusCode()));
        URI upload = base().resolve(location);
        String put = upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + digest;
        HttpResponse<String> done = http.send(request(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new IOException("blob PUT answered " + done.statusCode() + ": " + done.body());
        }
        return digest;
    }

    public String pushManifest(String repo, String reference, byte[] manifest, String mediaType) throws Exception {
        HttpResponse<String> put = http.send(request(base() + "/v2/" + repo + "/manifests/" + reference)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(), HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IOException("manifest PUT answered " + put.statusCode() + ": " + put.body());
        }
        return "sha256:" + sha256(manifest);
    }

    /** The raw bytes of the OCI image manifest under a tag or digest. */
    public byte[] manifest(String repo, String reference) throws Exception {
        return http.send(request(base() + "/v2/" + repo + "/manifests/" + reference)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    public static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** Deletes a blob's data file behind the registry's back (a damaged upstream). */
    public void corruptBlob(String digest) throws IOException {
        String hex = digest.substring("sha256:".length());
        Path data = dir.resolve("data/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
        Files.write(data, "garbage".getBytes(StandardCharsets.UTF_8));
    }

    private boolean listening() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
