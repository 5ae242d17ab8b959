package dev.akua.registry.conformance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry in its own JVM, started with the same main class as the runnable jar, so a test can
 * kill it with SIGKILL ({@link Process#destroyForcibly()}) and start it again on the same data.
 */
final class RegistryProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private RegistryProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static RegistryProcess start(Path dataRoot, int port, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.akua.registry.server.Main", "serve"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AKUA_REGISTRY_"));
        env.put("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1");
        env.put("AKUA_REGISTRY_HTTP_PORT", String.valueOf(port));
        env.put("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", dataRoot.toString());
        env.putAll(StorageBackend.env(dataRoot));
        Process p = pb.directory(dataRoot.getParent().toFile()).start();
        RegistryProcess rp = new RegistryProcess(p, port);
        rp.awaitReady();
        return rp;
    }

    /**
     * Starts {@code akua-registry serve --config FILE} with extra environment variables (a signing-key
     * passphrase, say): the production wiring, reading its secrets from the real process environment.
     */
    static RegistryProcess start(Path dataRoot, int port, Path log, Path configFile, Map<String, String> extraEnv) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.akua.registry.server.Main", "serve", "--config", configFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AKUA_"));
        env.putAll(extraEnv);
        env.put("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1");
        env.put("AKUA_REGISTRY_HTTP_PORT", String.valueOf(port));
        env.put("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", dataRoot.toString());
        Process p = pb.directory(dataRoot.getParent().toFile()).start();
        RegistryProcess rp = new RegistryProcess(p, port);
        rp.awaitAnswer();
        return rp;
    }

    /** Waits until {@code GET /v2/} gets any HTTP answer (with auth on, that is a 401 challenge). */
    private void awaitAnswer() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("registry process exited with " + process.exitValue());
            }
            try {
                client.send(HttpRequest.newBuilder(URI.create(base() + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("registry process did not start within 30 s");
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("registry process exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("registry process did not start within 30 s");
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hooks, no flushing, exactly like a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
