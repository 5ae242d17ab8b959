package dev.akua.registry.conformance;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.cli.CliCommands;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.wire.WireJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared pieces of the mirror conformance tests (issue 9): CNCF Distribution 2.8 as a real
 * upstream (filled with skopeo), a proxy that breaks connections mid-response, content fixtures
 * (images, indexes, cosign sidecars, OCI 1.1 referrers) and the {@code mirror}/{@code export}/
 * {@code import} commands run in this JVM or as their own process.
 */
final class MirrorFixtures {
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private MirrorFixtures() {
    }

    /** Debian's {@code docker-registry} (ECOSYSTEM.md §5) on 127.0.0.1; the port stays across stop/start. */
    static final class Distribution implements AutoCloseable {
        private static final Path BINARY = Path.of("/usr/bin/docker-registry");
        private final Path dir;
        private final int port;
        private Process process;

        Distribution(Path dir, String user, String password) throws Exception {
            if (!Files.isExecutable(BINARY)) {
                throw new AssertionError(BINARY + " is not installed; .ci/run installs it (apt-get install docker-registry)");
            }
            this.dir = Files.createDirectories(dir);
            this.port = freePort();
            String auth = "";
            if (user != null) {
                Tools.require("htpasswd");
                String line = Tools.ok(dir, "htpasswd", "-Bbn", user, password);
                Files.writeString(dir.resolve("htpasswd"), line.strip() + "\n");
                auth = "auth: { htpasswd: { realm: basic-realm, path: " + dir.resolve("htpasswd") + " } }\n";
            }
            Files.writeString(dir.resolve("config.yml"), """
                    version: 0.1
                    log: { level: info, accesslog: { disabled: false } }
                    storage: { filesystem: { rootdirectory: %s }, delete: { enabled: true } }
                    http: { addr: 127.0.0.1:%d }
                    """.formatted(dir.resolve("data"), port) + auth);
            start();
        }

        void start() throws Exception {
            process = new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!listening(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("docker-registry did not start; see " + dir.resolve("registry.log"));
                }
                Thread.sleep(30);
            }
        }

        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        String hostPort() {
            return "127.0.0.1:" + port;
        }

        int port() {
            return port;
        }

        /** Requests the upstream logged whose request line matches {@code METHOD pathRegex}. */
        int requests(String method, String pathRegex) throws IOException {
            Matcher m = Pattern.compile("\"" + method + " " + pathRegex + " HTTP/1\\.1\"")
                    .matcher(Files.readString(dir.resolve("registry.log")));
            int n = 0;
            while (m.find()) {
                n++;
            }
            return n;
        }

        @Override
        public void close() throws Exception {
            if (process != null && process.isAlive()) {
                stop();
            }
        }
    }

    /**
     * A TCP proxy in front of a real upstream that, once told to, breaks every connection after N
     * response bytes, or slows responses down.
     */
    static final class CuttingProxy implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final AtomicLong cuts = new AtomicLong();
        private volatile long cutAfter = -1;
        private volatile long pauseMillis;

        CuttingProxy(int targetPort) throws IOException {
            this.target = targetPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        String base() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        void cutResponsesAfter(long bytes) {
            cutAfter = bytes;
        }

        void heal() {
            cutAfter = -1;
            pauseMillis = 0;
        }

        /** Slows responses down: a pause after every 16 KiB (a slow upstream, so concurrent pulls overlap). */
        void slowDown(long millisPer16KiB) {
            pauseMillis = millisPer16KiB;
        }

        long cuts() {
            return cuts.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    Thread.ofVirtual().start(() -> pump(client, upstream, false));
                    Thread.ofVirtual().start(() -> pump(upstream, client, true));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean response) {
            byte[] buf = new byte[16 * 1024];
            long count = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long limit = cutAfter;
                    if (response && limit >= 0 && count + n > limit) {
                        out.write(buf, 0, (int) Math.max(0, limit - count));
                        out.flush();
                        cuts.incrementAndGet();
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    count += n;
                    if (response && pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            open.forEach(CuttingProxy::closeQuietly);
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // --- content ------------------------------------------------------------------------------------

    /** An image written into an OCI layout: manifest bytes and the digests of its parts. */
    record Image(byte[] manifest, Digest digest, Digest config, Digest layer, byte[] layerBytes) {
    }

    /**
     * An image with one gzip'd tar layer holding {@code layerBytes} random bytes (so it does not
     * compress), written into {@code layout} (not yet referenced by index.json).
     */
    static Image image(OciLayout layout, String seed, int layerBytes) {
        byte[] config = Oci.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}}}");
        byte[] layer = OciLayout.gzipTar("data/" + seed, Oci.random(layerBytes, seed.hashCode()));
        layout.blob(config);
        layout.blob(layer);
        byte[] manifest = Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + OciLayout.desc(MediaTypes.OCI_CONFIG, config) + ",\"layers\":[" + OciLayout.desc(LAYER, layer) + "]}");
        layout.blob(manifest);
        return new Image(manifest, Digest.sha256(manifest), Digest.sha256(config), Digest.sha256(layer), layer);
    }

    /** skopeo copies a layout ref into a registry, as an operator fills an upstream. */
    static void skopeoPush(Path workDir, Path layout, String ref, String destination, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--dest-tls-verify=false"));
        cmd.addAll(List.of(extra));
        cmd.add("oci:" + layout + ":" + ref);
        cmd.add("docker://" + destination);
        Tools.ok(workDir, cmd.toArray(String[]::new));
    }

    /** A cosign key signature of {@code subject} pushed as {@code sha256-<hex>.sig}, as cosign and akua do; returns the sidecar digest. */
    static Digest sign(Oci oci, String repo, String dockerReference, Digest subject, SigningKey key) {
        WireJson json = new WireJson();
        byte[] payload = new SimpleSigning(json).payload(dockerReference, subject);
        Digest p = oci.pushBlob(repo, payload);
        oci.pushBlob(repo, SidecarManifests.EMPTY_CONFIG);
        String signature = Base64.getEncoder().encodeToString(key.sign(payload));
        byte[] sidecar = new SidecarManifests(json).build(List.of(new SidecarLayer(MediaTypes.COSIGN_SIMPLE_SIGNING, p, payload.length,
                Map.of(SimpleSigning.SIGNATURE_ANNOTATION, signature))));
        Http.Resp r = oci.putManifest(repo, subject.tagForm() + ".sig", sidecar, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(sidecar);
    }

    /** An attestation sidecar ({@code .att}) with one DSSE layer; returns its digest. */
    static Digest attest(Oci oci, String repo, Digest subject) {
        byte[] envelope = Oci.utf8("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[]}");
        Digest e = oci.pushBlob(repo, envelope);
        oci.pushBlob(repo, SidecarManifests.EMPTY_CONFIG);
        byte[] manifest = Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + OciLayout.desc(MediaTypes.OCI_CONFIG, SidecarManifests.EMPTY_CONFIG) + ",\"layers\":[{\"mediaType\":\""
                + MediaTypes.DSSE_ENVELOPE + "\",\"digest\":\"" + e + "\",\"size\":" + envelope.length + "}]}");
        Http.Resp r = oci.putManifest(repo, subject.tagForm() + ".att", manifest, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        return Digest.sha256(manifest);
    }

    /**
     * An SBOM referrer of {@code subject} (OCI 1.1 {@code subject}), and — as oras and cosign v3 do
     * for registries without the referrers API — the tag-schema index {@code sha256-<hex>}; returns
     * the referrer's digest.
     */
    static Digest referrer(Oci oci, String repo, byte[] subjectManifest, boolean tagSchema) {
        byte[] empty = Oci.utf8("{}");
        byte[] sbom = Oci.utf8("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + Digest.sha256(subjectManifest) + "\"}");
        oci.pushBlob(repo, empty);
        oci.pushBlob(repo, sbom);
        byte[] manifest = Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"artifactType\":\"application/spdx+json\",\"config\":" + OciLayout.desc(MediaTypes.OCI_EMPTY, empty)
                + ",\"layers\":[" + OciLayout.desc("application/spdx+json", sbom) + "],\"subject\":"
                + OciLayout.desc(MediaTypes.OCI_MANIFEST, subjectManifest) + "}");
        Digest r = Digest.sha256(manifest);
        Http.Resp put = oci.putManifest(repo, r.toString(), manifest, MediaTypes.OCI_MANIFEST);
        assertEquals(201, put.status(), put::text);
        if (tagSchema) {
            byte[] index = Oci.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                    + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + r + "\",\"size\":" + manifest.length
                    + ",\"artifactType\":\"application/spdx+json\"}]}");
            Http.Resp tag = oci.putManifest(repo, Digest.sha256(subjectManifest).tagForm(), index, MediaTypes.OCI_INDEX);
            assertEquals(201, tag.status(), tag::text);
        }
        return r;
    }

    // --- commands -----------------------------------------------------------------------------------

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A command of the runnable jar in this JVM, as {@code Main} runs it, with a configuration file and variables. */
    static Run cli(Path configFile, Map<String, String> env, String... args) {
        String name = args[0];
        CliCommand command = CliCommands.all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " command in CliCommands"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        int exit = command.run(rest, new ConfigLoader().load(configFile, env),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code java … dev.akua.registry.server.Main <args>} as its own process, output to {@code log}. */
    static Process process(Path configFile, Map<String, String> env, Path log, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.akua.registry.server.Main", args[0], "--config", configFile.toString()));
        cmd.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AKUA_REGISTRY_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * Settings every mirror registry in these tests needs — loopback upstreams allowed — and the
     * storage of the registry rooted at {@code registryRoot}, as {@code TestRegistry.start(registryRoot, …)}
     * lays it out: files under {@code registryRoot/data}, or its bucket in the S3 run, so the CLI
     * commands ({@code mirror run}, {@code import}, {@code export}) and the server see the same content.
     */
    static Map<String, String> env(Path registryRoot) {
        Map<String, String> env = new HashMap<>(StorageBackend.env(registryRoot));
        env.put("AKUA_REGISTRY_MIRROR_REMOTE_ALLOWLOOPBACK", "true");
        env.put("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", registryRoot.resolve("data").toString());
        return env;
    }

    static URI uri(String s) {
        return URI.create(s);
    }
}
