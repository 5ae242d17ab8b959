package dev.akua.registry.server;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.V2Hooks;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The composition root: builds every component from the configuration, wires them, and owns the
 * web server. Nothing else constructs services; nothing is static.
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistryServer.class.getName());
    private final RegistryConfig config;
    private final RegistryStorage storage;
    private final FeatureContext context;
    private final List<RegistryFeature> features;
    private final WebServer server;

    private RegistryServer(RegistryConfig config, RegistryStorage storage, FeatureContext context,
                           List<RegistryFeature> features, WebServer server) {
        this.config = config;
        this.storage = storage;
        this.context = context;
        this.features = features;
        this.server = server;
    }

    /** Builds and starts a registry; the port is the configured one, or a free one if that is 0. */
    public static RegistryServer start(RegistryConfig config) {
        return start(config, Features.factories());
    }

    /** Builds and starts a registry with an explicit feature list (tests). */
    public static RegistryServer start(RegistryConfig config,
                                       List<Function<FeatureContext, Optional<RegistryFeature>>> factories) {
        HelidonMappers.install();
        JsonMapper json = JsonMapper.builder().build();
        Clock clock = Clock.systemUTC();
        RegistryStorage storage = new RegistryStorage(driver(config), storageOptions(config), new ManifestParser(), json, clock);
        ErrorResponses errors = new ErrorResponses(json);
        Urls urls = new Urls(config.http().publicUrl());
        FeatureContext context = new FeatureContext(config, storage, json, clock, urls, errors);

        List<RegistryFeature> features = new ArrayList<>();
        V2Hooks.Builder hooks = V2Hooks.builder();
        HttpRouting.Builder routing = HttpRouting.builder();
        try {
            for (Function<FeatureContext, Optional<RegistryFeature>> factory : factories) {
                factory.apply(context).ifPresent(f -> {
                    features.add(f);
                    f.hooks(hooks);
                    f.routing(routing);
                });
            }
            V2Hooks built = hooks.build();
            // Feature routes (/api/v1, /helm, …) look the gate up per request: publish the one the
            // /v2 API uses, unless the feature that installed it published it already.
            if (context.service(AccessGate.class).isEmpty()) {
                context.publish(AccessGate.class, built.gate());
            }
            // Feature routes that store content (publishing, server-side signing) push it as a client
            // push through /v2 would: the gate's tag rules, every push check, every listener.
            context.publish(V2Hooks.class, built);
            V2Context v2 = new V2Context(storage, urls, json, config.storage().deleteEnabled(), config.api().maxPageSize(),
                    built);
            routing(routing, new V2Handler(v2, errors));
            WebServer server = WebServer.builder()
                    .host(config.http().host())
                    .port(config.http().port())
                    .shutdownHook(false)
                    // Helidon 4.4.0's NIO socket drops bytes on partial writes and reads (helidon-io/helidon
                    // #11340, #11353, #11386; fixed after 4.4.0, which is the newest full release reachable
                    // here): a 8 MiB blob GET came back corrupted. The blocking socket path is correct.
                    .useNio(false)
                    .maxConcurrentRequests(config.http().maxConcurrentRequests() > 0 ? config.http().maxConcurrentRequests() : -1)
                    .connectionOptions(socket -> receiveBuffer(config).ifPresent(socket::socketReceiveBufferSize))
                    .routing(routing)
                    .build()
                    .start();
            RegistryServer registry = new RegistryServer(config, storage, context, features, server);
            features.forEach(RegistryFeature::start);
            return registry;
        } catch (RuntimeException e) {
            closeAll(features);
            closeDriver(storage);
            throw e;
        }
    }

    /**
     * A fixed receive buffer for accepted connections. With autotuning the kernel keeps the window
     * offered to a fast local sender small, so the sender stalls on every window update, and its
     * transmit work then runs in the receiving thread (on loopback; much the same behind a local
     * proxy): a 256 MiB upload cost Helidon's reading thread about 0.17 s of CPU with autotuning and
     * 0.10 s with 4 MiB (see BENCHMARKS.md). The kernel charges only bytes actually queued, so idle
     * connections cost nothing more.
     */
    private static Optional<Integer> receiveBuffer(RegistryConfig config) {
        long bytes = config.longValue("http.socketReceiveBufferBytes");
        return bytes > 0 ? Optional.of((int) Math.min(bytes, Integer.MAX_VALUE)) : Optional.empty();
    }

    /**
     * Helidon 4.4.0 parses every request's {@code Content-Length} through {@code MapperManager.global()},
     * which, until a global manager is set, asks the service registry for a new one on each call:
     * a profile of small pushes showed that lookup as the hottest Java code. Installing one manager
     * once (Helidon's own, JVM-wide setting) removes it. The holder makes it happen exactly once.
     */
    @SuppressWarnings("removal")
    private static final class HelidonMappers {
        static {
            io.helidon.common.mapper.MapperManager.global(io.helidon.common.mapper.MapperManager.create());
        }

        static void install() {
            // class initialisation above does the work
        }
    }

    private static StorageDriver driver(RegistryConfig config) {
        return switch (config.storage().driver()) {
            case "inmemory" -> new InMemoryDriver();
            case "s3" -> dev.akua.registry.feature.s3.S3StorageConfig.driver(config);
            default -> new FilesystemDriver(config.storage().filesystemRoot(), config.boolValue("storage.filesystem.directWrites"));
        };
    }

    private static StorageOptions storageOptions(RegistryConfig config) {
        return new StorageOptions(config.storage().maxManifestBytes(), config.storage().pointerTtl(),
                config.storage().manifestCacheBytes());
    }

    /** The core routes, in one static method so routing tests can reuse it (Helidon SE convention). */
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

    /** Services published by features (e.g. for CLI commands that reuse them). */
    public FeatureContext context() {
        return context;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        server.stop();
        closeAll(features);
        closeDriver(storage);
    }

    private static void closeDriver(RegistryStorage storage) {
        if (storage.driver() instanceof AutoCloseable c) {
            try {
                c.close(); // the S3 driver's HTTP client
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the storage driver failed", e);
            }
        }
    }

    /**
     * A registry's storage and its features' published services without the web server, for CLI
     * commands that work on storage directly (gc, retention, scrub, purge). Features are built
     * from the configuration but not started; closing releases them and the driver.
     */
    public static Offline offline(RegistryConfig config) {
        JsonMapper json = JsonMapper.builder().build();
        Clock clock = Clock.systemUTC();
        RegistryStorage storage = new RegistryStorage(driver(config), storageOptions(config), new ManifestParser(), json, clock);
        FeatureContext context = new FeatureContext(config, storage, json, clock, new Urls(config.http().publicUrl()),
                new ErrorResponses(json));
        List<RegistryFeature> features = new ArrayList<>();
        try {
            for (Function<FeatureContext, Optional<RegistryFeature>> factory : Features.factories()) {
                factory.apply(context).ifPresent(features::add);
            }
        } catch (RuntimeException e) {
            closeAll(features);
            closeDriver(storage);
            throw e;
        }
        return new Offline(context, features);
    }

    /** See {@link #offline(RegistryConfig)}. */
    public record Offline(FeatureContext context, List<RegistryFeature> features) implements AutoCloseable {
        public RegistryStorage storage() {
            return context.storage();
        }

        @Override
        public void close() {
            closeAll(features);
            closeDriver(context.storage());
        }
    }

    private static void closeAll(List<RegistryFeature> features) {
        for (RegistryFeature f : features.reversed()) {
            try {
                f.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing feature " + f.name() + " failed", e);
            }
        }
    }
}
