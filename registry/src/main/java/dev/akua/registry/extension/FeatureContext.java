package dev.akua.registry.extension;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.http.ErrorResponses;
import dev.akua.registry.http.Urls;
import dev.akua.registry.storage.RegistryStorage;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a feature is built from: configuration, storage, shared JSON mapper, clock, URL builder,
 * error writer, and services published by features built before it (e.g. the access gate for
 * features that check permissions of their own). Owned by the composition root; not static.
 */
public final class FeatureContext {
    private final RegistryConfig config;
    private final RegistryStorage storage;
    private final JsonMapper json;
    private final Clock clock;
    private final Urls urls;
    private final ErrorResponses errors;
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();

    public FeatureContext(RegistryConfig config, RegistryStorage storage, JsonMapper json, Clock clock, Urls urls,
                          ErrorResponses errors) {
        this.config = config;
        this.storage = storage;
        this.json = json;
        this.clock = clock;
        this.urls = urls;
        this.errors = errors;
    }

    public RegistryConfig config() {
        return config;
    }

    public RegistryStorage storage() {
        return storage;
    }

    public JsonMapper json() {
        return json;
    }

    public Clock clock() {
        return clock;
    }

    public Urls urls() {
        return urls;
    }

    public ErrorResponses errors() {
        return errors;
    }

    /** Publishes a service for features built later. */
    public <T> void publish(Class<T> type, T service) {
        if (services.putIfAbsent(type, service) != null) {
            throw new IllegalStateException("a " + type.getSimpleName() + " is already published");
        }
    }

    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }
}
