package dev.akua.registry.server;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.http.ErrorResponses;
import dev.akua.registry.http.Urls;
import dev.akua.registry.http.v2.V2Context;
import dev.akua.registry.http.v2.V2Handler;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.StorageOptions;
import dev.akua.registry.storage.driver.FilesystemDriver;
import dev.akua.registry.storage.driver.InMemoryDriver;
import dev.akua.registry.storage.driver.StorageDriver;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;

/**
 * The composition root: builds every component from the configuration, wires them, and owns the
 * web server. Nothing else constructs services; nothing is static.
 */
public final class RegistryServer implements AutoCloseable {
    private final RegistryConfig config;
    private final RegistryStorage storage;
    private final WebServer server;

    private RegistryServer(RegistryConfig config, RegistryStorage storage, WebServer server) {
        this.config = config;
        this.storage = storage;
        this.server = server;
    }

    /** Builds and starts a registry; the port is the configured one, or a free one if that is 0. */
    public static RegistryServer start(RegistryConfig config) {
        JsonMapper json = JsonMapper.builder().build();
        StorageDriver driver = switch (config.storage().driver()) {
            case "inmemory" -> new InMemoryDriver();
            default -> new FilesystemDriver(config.storage().filesystemRoot());
        };
        StorageOptions options = new StorageOptions(config.storage().maxManifestBytes(),
                config.storage().pointerTtl(), config.storage().manifestCacheBytes());
        RegistryStorage storage = new RegistryStorage(driver, options, new ManifestParser(), json, Clock.systemUTC());
        ErrorResponses errors = new ErrorResponses(json);
        V2Context v2 = new V2Context(storage, new Urls(config.http().publicUrl()), json,
                config.storage().deleteEnabled(), config.api().maxPageSize());
        V2Handler v2Handler = new V2Handler(v2, errors);

        HttpRouting.Builder routing = HttpRouting.builder();
        routing(routing, v2Handler);
        WebServer server = WebServer.builder()
                .host(config.http().host())
                .port(config.http().port())
                .shutdownHook(false)
                // Helidon 4.4.0's NIO socket drops bytes on partial writes and reads (helidon-io/helidon
                // #11340, #11353, #11386; fixed after 4.4.0, which is the newest full release reachable
                // here): a 8 MiB blob GET came back corrupted. The blocking socket path is correct.
                .useNio(false)
                .routing(routing)
                .build()
                .start();
        return new RegistryServer(config, storage, server);
    }

    /** The routes, in one static method so routing tests can reuse it (Helidon SE convention). */
    static void routing(HttpRouting.Builder routing, V2Handler v2) {
        routing.any("/v2", v2)
                .any("/v2/*", v2);
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://" + config.http().host() + ":" + port();
    }

    public RegistryStorage storage() {
        return storage;
    }

    public RegistryConfig config() {
        return config;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        server.stop();
    }
}
