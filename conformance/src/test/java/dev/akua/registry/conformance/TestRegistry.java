package dev.akua.registry.conformance;

import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.server.RegistryServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real registry on 127.0.0.1 and a free port, configured the way an operator would (environment
 * variables over the embedded defaults), storing under a test directory. Closed by the test.
 */
public final class TestRegistry implements AutoCloseable {
    private final RegistryServer server;
    private final Path root;

    private TestRegistry(RegistryServer server, Path root) {
        this.server = server;
        this.root = root;
    }

    public static TestRegistry start(Path root) {
        return start(root, Map.of());
    }

    /** Starts with extra settings, given as environment variables ({@code AKUA_REGISTRY_…}). */
    public static TestRegistry start(Path root, Map<String, String> env) {
        return start(root, (Path) null, env);
    }

    /**
     * Starts with a YAML configuration file (for structured sections such as permission rules,
     * which have no environment variables) and extra settings as environment variables.
     */
    public static TestRegistry start(Path root, Path configFile, Map<String, String> env) {
        return new TestRegistry(RegistryServer.start(config(root, configFile, env)), root);
    }

    /** The configuration {@link #start(Path, Path, Map)} uses (for CLI commands reading the same settings). */
    public static RegistryConfig config(Path root, Path configFile, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(StorageBackend.env(root));
        all.putAll(env);
        all.put("AKUA_REGISTRY_HTTP_PORT", "0");
        all.put("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1");
        all.putIfAbsent("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", root.toString());
        return new ConfigLoader().load(configFile, all);
    }

    /**
     * Starts with a YAML configuration file (for structured sections such as {@code helm.upstreams},
     * which have no environment variables) written to {@code root/akua-registry.yaml}, plus variables.
     */
    public static TestRegistry start(Path root, String configYaml, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(StorageBackend.env(root));
        all.putAll(env);
        all.put("AKUA_REGISTRY_HTTP_PORT", "0");
        all.put("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1");
        all.putIfAbsent("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", root.resolve("data").toString());
        Path file = root.resolve("akua-registry.yaml");
        try {
            java.nio.file.Files.createDirectories(root);
            java.nio.file.Files.writeString(file, configYaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RegistryConfig config = new ConfigLoader().load(file, all);
        return new TestRegistry(RegistryServer.start(config), root);
    }

    public String base() {
        return server.baseUrl();
    }

    /** {@code 127.0.0.1:<port>}, as clients write it in image references. */
    public String hostPort() {
        return "127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public Path root() {
        return root;
    }

    public RegistryServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
