// Load generators for bench/run that are easier in Java than with curl/wrk. JDK only; run with
// the source launcher: java bench/Bench.java <command> ...
//
//   sha256-rate                       single-core SHA-256 throughput of this JVM, MB/s
//   publish <base-url> <secs> <conc>  small-artifact publishes per second, akua style:
//                                     POST+PUT layer, POST+PUT config, PUT manifest by tag
//   uploads <base-url> <n> <mib>      n concurrent monolithic uploads of <mib> MiB each, generated
//                                     on the fly (no file, no memory); prints MB/s overall
//   free-port                         a free TCP port on 127.0.0.1
//   sink <port> <work> <file>         the floor for a monolithic push on this machine: a bare HTTP/1.1
//                                     server on 127.0.0.1 that takes each PUT body with 1 MiB socket
//                                     reads on one thread and does <work> with it, then answers 201.
//                                     <work>: read (discard), hash (SHA-256), write (to <file>, then
//                                     fdatasync), hash+write. No framework, no pipelining, one
//                                     connection at a time; runs until killed.
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

public class Bench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "sha256-rate" -> sha256Rate();
            case "publish" -> publish(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "uploads" -> uploads(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "sink" -> sink(Integer.parseInt(args[1]), args[2], java.nio.file.Path.of(args[3]));
            case "free-port" -> {
                try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    System.out.println(s.getLocalPort());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void sha256Rate() throws Exception {
        byte[] buf = new byte[1 << 20];
        new Random(1).nextBytes(buf);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        double best = 0;
        for (int round = 0; round < 6; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 256; i++) {
                md.update(buf);
            }
            md.digest();
            double secs = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, 256 * 1.048576 / secs);
        }
        System.out.printf("%.0f%n", best);
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<byte[]> send(HttpRequest r) throws IOException, InterruptedException {
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    static void pushBlob(String base, String repo, byte[] content) throws Exception {
        HttpResponse<byte[]> post = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        String loc = post.headers().firstValue("Location").orElseThrow(() -> new IOException("no Location: " + post.statusCode()));
        String url = (loc.startsWith("http") ? loc : base + loc) + (loc.contains("?") ? "&" : "?") + "digest=" + sha256(content);
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        if (put.statusCode() != 201) {
            throw new IOException("blob PUT " + put.statusCode() + " " + new String(put.body()));
        }
    }

    static void publish(String base, int seconds, int concurrency) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            pool.submit(() -> {
                Random random = new Random(worker);
                int i = 0;
                while (System.nanoTime() < deadline) {
                    try {
                        byte[] layer = new byte[2048];
                        random.nextBytes(layer);
                        byte[] config = ("{\"akuaVersion\":\"0.8.5\",\"n\":\"" + worker + "-" + i + "\"}").getBytes(StandardCharsets.UTF_8);
                        String repo = "bench/publish" + (worker % 4);
                        pushBlob(base, repo, layer);
                        pushBlob(base, repo, config);
                        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.akua.package.config.v1+json\",\"size\":"
                                + config.length + ",\"digest\":\"" + sha256(config) + "\"},\"layers\":[{\"mediaType\":\"application/vnd.akua.package.content.v1.tar+gzip\",\"size\":"
                                + layer.length + ",\"digest\":\"" + sha256(layer) + "\"}]}";
                        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/v" + worker + "." + i))
                                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build());
                        if (put.statusCode() / 100 != 2) {
                            throw new IOException("manifest PUT " + put.statusCode() + " " + new String(put.body()));
                        }
                        done.incrementAndGet();
                    } catch (Exception e) {
                        if (failed.incrementAndGet() < 5) {
                            System.err.println("publish failed: " + e);
                        }
                    }
                    i++;
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, java.util.concurrent.TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %d %.2f%n", done.get(), failed.get(), done.get() / secs);
    }

    /** Deterministic pseudo-random bytes of a given length, produced on demand. */
    static final class Generated extends InputStream {
        private final byte[] block;
        private long remaining;
        private int pos;

        Generated(long length, byte[] block) {
            this.remaining = length;
            this.block = block;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, remaining), block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            pos = (pos + n) % block.length;
            remaining -= n;
            return n;
        }
    }

    static void uploads(String base, int n, int mib) throws Exception {
        long length = (long) mib << 20;
        byte[] block = new byte[1 << 20];
        new Random(7).nextBytes(block);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new Generated(length, block)) {
            byte[] buf = new byte[1 << 20];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(md.digest());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        long start = System.nanoTime();
        java.util.List<Future<Integer>> results = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            results.add(pool.submit(() -> {
                String repo = "bench/memory" + k;
                HttpResponse<byte[]> post = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                String loc = post.headers().firstValue("Location").orElseThrow();
                String url = (loc.startsWith("http") ? loc : base + loc) + (loc.contains("?") ? "&" : "?") + "digest=" + digest;
                HttpRequest put = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(length, block)), length))
                        .timeout(Duration.ofMinutes(10)).build();
                return send(put).statusCode();
            }));
        }
        for (Future<Integer> f : results) {
            if (f.get() != 201) {
                throw new IOException("upload answered " + f.get());
            }
        }
        pool.shutdown();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%.1f%n", n * (double) length / 1e6 / secs);
    }

    static void sink(int port, String work, java.nio.file.Path file) throws Exception {
        boolean hash = work.contains("hash");
        boolean write = work.contains("write");
        try (java.net.ServerSocket server = new java.net.ServerSocket(port, 16, java.net.InetAddress.getLoopbackAddress())) {
            byte[] buf = new byte[1 << 20];
            while (true) {
                try (java.net.Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    long length = -1;
                    boolean expectContinue = false;
                    for (String line = headerLine(in); !line.isEmpty(); line = headerLine(in)) {
                        String lower = line.toLowerCase(java.util.Locale.ROOT);
                        if (lower.startsWith("content-length:")) {
                            length = Long.parseLong(line.substring("content-length:".length()).trim());
                        } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                            expectContinue = true;
                        }
                    }
                    if (length < 0) {
                        throw new IOException("sink needs a Content-Length");
                    }
                    consume(socket, in, length, expectContinue, buf, hash, write, file);
                } catch (IOException e) {
                    System.err.println("sink: " + e.getMessage()); // a probe or a broken client; keep serving
                }
            }
        }
    }

    private static void consume(java.net.Socket socket, InputStream in, long length, boolean expectContinue, byte[] buf,
            boolean hash, boolean write, java.nio.file.Path file) throws Exception {
        var out = socket.getOutputStream();
        if (expectContinue) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var channel = write ? java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING) : null) {
            for (long got = 0; got < length; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - got));
                if (n < 0) {
                    throw new IOException("body ended after " + got + " of " + length + " bytes");
                }
                got += n;
                if (hash) {
                    md.update(buf, 0, n);
                }
                if (channel != null) {
                    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        channel.write(bb);
                    }
                }
            }
            if (channel != null) {
                channel.force(false);
            }
        }
        out.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String headerLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the request head");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
