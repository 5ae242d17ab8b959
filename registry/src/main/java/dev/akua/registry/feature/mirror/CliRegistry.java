package dev.akua.registry.feature.mirror;

import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.mirror.Mirror;
import dev.akua.registry.server.RegistryServer;

import java.util.HashMap;
import java.util.Map;

/**
 * The registry the {@code mirror run}, {@code export} and {@code import} commands work on: built
 * from the same configuration as {@code serve} by the composition root (same storage, upstreams,
 * trust policies and listeners), listening only on 127.0.0.1 at a free port for the length of the
 * command, with the mirror schedule off so the command does only what it was asked.
 */
final class CliRegistry {
    private CliRegistry() {
    }

    static RegistryServer start(RegistryConfig config) {
        Map<String, String> values = new HashMap<>(config.values());
        values.put("mirror.scheduler.enabled", "false");
        values.put("http.host", "127.0.0.1");
        values.put("http.port", "0");
        RegistryConfig forCommand = new RegistryConfig(new RegistryConfig.Http("127.0.0.1", 0, config.http().publicUrl(),
                config.http().maxConcurrentRequests()), config.storage(), config.api(), values, config.sections());
        return RegistryServer.start(forCommand);
    }

    static Mirror mirror(RegistryServer server) {
        return server.context().service(Mirror.class).orElseThrow(() -> new ConfigException("the mirror feature is not active"));
    }
}
