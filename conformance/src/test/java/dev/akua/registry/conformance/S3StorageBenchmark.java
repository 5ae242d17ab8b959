package dev.akua.registry.conformance;

import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.server.RegistryServer;
import dev.akua.registry.storage.s3.S3TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Push and pull throughput of the registry on its filesystem driver and on its S3 driver (against
 * the s3proxy test server, filesystem backend, on the same machine), run one after the other in
 * one JVM with the same client. Not a test; docs/notes/s3-bench.md has the command and figures.
 *
 * <pre>java -Xmx2g -Dakua.s3proxy.jar=… -cp … dev.akua.registry.conformance.S3StorageBenchmark [MiB] [reps] [publishSeconds]</pre>
 */
public final class S3StorageBenchmark {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private S3StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int publishSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path work = Files.createTempDirectory("akua-s3-bench-");
        byte[] blob = new byte[mib << 20];
        new Random(1).nextBytes(blob);
        Digest digest = Digest.sha256(blob);
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        try (S3TestServer s3 = S3TestServer.start(work.resolve("s3"))) {
            Map<String, String> fs = Map.of("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", work.resolve("fs").toString());
            results.put("filesystem", run("filesystem", fs, blob, digest, reps, publishSeconds));
            Map<String, String> s3env = new HashMap<>(s3.registryEnv(s3.createBucket()));
            // e.g. -Dakua.bench.s3.checksums=when_required to leave out the SDK's trailing checksums
            String checksums = System.getProperty("akua.bench.s3.checksums");
            if (checksums != null) {
                s3env.put("AKUA_REGISTRY_STORAGE_S3_CHECKSUMS", checksums);
            }
            results.put("s3", run("s3", s3env, blob, digest, reps, publishSeconds));
        }
        System.out.println();
        System.out.printf("Run: %s, %d cores, load average %.1f, JDK %s; blob %d MiB, best of %d%n",
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version(), mib, reps);
        System.out.println("| scenario | filesystem | S3 (s3proxy, local disk) | S3 / filesystem |");
        System.out.println("|---|---|---|---|");
        for (String metric : results.get("filesystem").keySet()) {
            double f = Double.parseDouble(results.get("filesystem").get(metric));
            double s = Double.parseDouble(results.get("s3").get(metric));
            System.out.printf("| %s | %.0f | %.0f | %.2f× |%n", metric, f, s, s / f);
        }
    }

    private static Map<String, String> run(String name, Map<String, String> env, byte[] blob, Digest digest, int reps,
                                           int publishSeconds) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("AKUA_REGISTRY_HTTP_PORT", "0");
        all.put("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1");
        Map<String, String> out = new LinkedHashMap<>();
        try (RegistryServer server = RegistryServer.start(new ConfigLoader().load(null, all))) {
            String base = server.baseUrl();
            int mib = blob.length >> 20;
            double best = 0;
            for (int i = 0; i < reps; i++) {
                long t = System.nanoTime();
                monolithic(base, "bench/mono" + i, blob, digest);
                best = Math.max(best, mbps(blob.length, t));
            }
            out.put("monolithic push " + mib + " MiB (MB/s)", fmt(best));
            System.err.println(name + ": monolithic push " + fmt(best) + " MB/s");

            best = 0;
            for (int i = 0; i < reps; i++) {
                long t = System.nanoTime();
                chunked(base, "bench/chunked" + i, blob, digest, 16 << 20);
                best = Math.max(best, mbps(blob.length, t));
            }
            out.put("chunked push " + mib + " MiB in 16 MiB PATCHes (MB/s)", fmt(best));
            System.err.println(name + ": chunked push " + fmt(best) + " MB/s");

            best = 0;
            for (int i = 0; i < reps; i++) {
                long t = System.nanoTime();
                long n = pull(base + "/v2/bench/mono0/blobs/" + digest, digest);
                best = Math.max(best, mbps(n, t));
            }
            out.put("blob pull " + mib + " MiB (MB/s)", fmt(best));
            System.err.println(name + ": pull " + fmt(best) + " MB/s");

            double rate = publishes(base, publishSeconds, 8);
            out.put("small-artifact publishes, 8 clients (publishes/s)", fmt(rate));
            System.err.println(name + ": publishes " + fmt(rate) + "/s");
        }
        return out;
    }

    private static double mbps(long bytes, long startNanos) {
        return bytes / 1e6 / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    private static HttpResponse<byte[]> send(HttpRequest r) throws IOException, InterruptedException {
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String location(String base, HttpResponse<?> r) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location: " + r.statusCode()));
        return loc.startsWith("http") ? loc : base + loc;
    }

    private static String start(String base, String repo) throws Exception {
        HttpResponse<byte[]> post = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return location(base, post);
    }

    private static void check(HttpResponse<byte[]> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    static void monolithic(String base, String repo, byte[] blob, Digest digest) throws Exception {
        String loc = start(base, repo);
        check(send(HttpRequest.newBuilder(URI.create(Http.withQuery(loc, "digest=" + digest)))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build()), 201);
    }

    static void chunked(String base, String repo, byte[] blob, Digest digest, int chunk) throws Exception {
        String loc = start(base, repo);
        for (int off = 0; off < blob.length; off += chunk) {
            int n = Math.min(chunk, blob.length - off);
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(loc)).header("Content-Type", "application/octet-stream")
                    .header("Content-Range", off + "-" + (off + n - 1))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(blob, off, n)).build());
            check(r, 202);
            loc = location(base, r);
        }
        check(send(HttpRequest.newBuilder(URI.create(Http.withQuery(loc, "digest=" + digest)))
                .PUT(HttpRequest.BodyPublishers.noBody()).build()), 201);
    }

    static long pull(String url, Digest digest) throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long n = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[1 << 20];
            int k;
            while ((k = in.read(buf)) > 0) {
                md.update(buf, 0, k);
                n += k;
            }
        }
        if (r.statusCode() != 200 || !Digest.fromHash(digest.algorithm(), md.digest()).equals(digest)) {
            throw new IllegalStateException("pull of " + url + " failed: " + r.statusCode());
        }
        return n;
    }

    /** akua's publish: POST+PUT layer, POST+PUT config, PUT manifest by tag; as many as possible. */
    static double publishes(String base, int seconds, int clients) throws Exception {
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            fs.add(pool.submit(() -> {
                Random random = new Random(client);
                for (int i = 0; System.nanoTime() < end; i++) {
                    byte[] layer = new byte[4096];
                    random.nextBytes(layer);
                    byte[] config = ("{\"client\":" + client + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                    Digest l = Digest.sha256(layer);
                    Digest c2 = Digest.sha256(config);
                    String repo = "bench/publish" + client;
                    monolithic(base, repo, layer, l);
                    monolithic(base, repo, config, c2);
                    byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                            + MediaTypes.OCI_CONFIG + "\",\"size\":" + config.length + ",\"digest\":\"" + c2 + "\"},\"layers\":[{\"mediaType\":"
                            + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"size\":4096,\"digest\":\"" + l + "\"}]}")
                            .getBytes(StandardCharsets.UTF_8);
                    check(send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/v" + i))
                            .header("Content-Type", MediaTypes.OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(m)).build()), 201);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - started) / 1e9);
    }
}
