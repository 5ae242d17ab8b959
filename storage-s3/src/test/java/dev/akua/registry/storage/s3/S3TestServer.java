package dev.akua.registry.storage.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3-compatible server for tests: the s3proxy standalone jar (ECOSYSTEM.md §5) with its
 * filesystem backend and SigV4 authentication, in its own JVM, listening on 127.0.0.1 and a free
 * port. The build copies the jar out of the Maven repository ({@code akua.s3proxy.jar}); tests
 * start and stop the server themselves. {@link #stop()} and {@link #restart()} keep the port and
 * the data, for outage tests.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "akua-test";
    public static final String SECRET_KEY = "akua-test-secret";
    public static final String REGION = "us-east-1";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final Path dir;
    private final Path data;
    private final int port;
    private final S3Client admin;
    private Process process;

    private S3TestServer(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.admin = S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static S3TestServer shared;

    /**
     * One server for every test in this JVM that does not stop it (tests that do start their
     * own): started on first use under a temporary directory, stopped when the test JVM exits.
     */
    public static synchronized S3TestServer shared() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("akua-s3proxy-");
            S3TestServer server = start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteTree(dir);
            }, "s3proxy-stop"));
            shared = server;
        }
        return shared;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary directory; the OS cleans up
        }
    }

    /** Starts a server keeping its objects under {@code dir/data}. */
    public static S3TestServer start(Path dir) throws IOException {
        S3TestServer server = new S3TestServer(dir, freePort());
        server.launch();
        return server;
    }

    /** The s3proxy jar the build copied, or a clear failure when it is missing. */
    public static Path jar() {
        String configured = System.getProperty("akua.s3proxy.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("s3proxy jar not found at " + jar.toAbsolutePath()
                    + ": run the tests through Maven (the dependency plugin copies org.gaul:s3proxy:4.1.0:jar-with-dependencies"
                    + " in generate-test-resources), or set -Dakua.s3proxy.jar=<path>");
        }
        return jar;
    }

    private void launch() throws IOException {
        Files.createDirectories(data);
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                // property names kept from the jclouds era (ECOSYSTEM.md §5)
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                ""));
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        process = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-Dlog.level=warn", "-jar", jar().toAbsolutePath().toString(), "--properties", conf.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
                .start();
        awaitListening();
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("s3proxy exited with " + process.exitValue() + "; see " + dir.resolve("s3proxy.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IOException("s3proxy did not listen on port " + port + " within 60 s; see " + dir.resolve("s3proxy.log"));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Creates a new, empty bucket with a unique name. */
    public String createBucket() {
        String name = "akua-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(name));
        return name;
    }

    /** Creates the bucket if it does not exist yet. */
    public void ensureBucket(String name) {
        try {
            admin.headBucket(b -> b.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            admin.createBucket(b -> b.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            admin.createBucket(b -> b.bucket(name));
        }
    }

    /** Settings for a driver on this server (path style, test credentials, quick retries). */
    public S3Settings.Builder settings(String bucket) {
        return S3Settings.builder(bucket)
                .endpoint(endpoint())
                .pathStyle(true)
                .region(REGION)
                .credentials(ACCESS_KEY, SECRET_KEY)
                .retryDelays(Duration.ofMillis(20), Duration.ofMillis(200))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    /** Registry configuration for this server, as {@code AKUA_REGISTRY_*} variables. */
    public Map<String, String> registryEnv(String bucket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AKUA_REGISTRY_STORAGE_DRIVER", "s3");
        env.put("AKUA_REGISTRY_STORAGE_S3_BUCKET", bucket);
        env.put("AKUA_REGISTRY_STORAGE_S3_ENDPOINT", endpoint().toString());
        env.put("AKUA_REGISTRY_STORAGE_S3_REGION", REGION);
        env.put("AKUA_REGISTRY_STORAGE_S3_PATHSTYLE", "true");
        env.put("AKUA_REGISTRY_STORAGE_S3_ACCESSKEYID", ACCESS_KEY);
        env.put("AKUA_REGISTRY_STORAGE_S3_SECRETACCESSKEY", SECRET_KEY);
        return env;
    }

    /** Where the filesystem backend keeps an object (for tests that corrupt bytes "on disk"). */
    public Path objectFile(String bucket, String key) {
        return data.resolve(bucket).resolve(key);
    }

    /** Stops the server (the data stays); {@link #restart()} brings it back on the same port. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void restart() throws IOException {
        stop();
        launch();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
        admin.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
