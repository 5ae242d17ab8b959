package dev.akua.registry.extension;

import io.helidon.webserver.http.HttpRouting;

/**
 * An optional capability (auth, signatures, lock API, Helm repositories, publishing, mirroring,
 * garbage collection) plugged into the registry by the composition root. Each feature owns a
 * package, its configuration section and its routes; it reaches the core only through
 * {@link V2Hooks} and the services in {@link FeatureContext}.
 */
public interface RegistryFeature extends AutoCloseable {

    String name();

    /** Plugs into the {@code /v2} API. */
    default void hooks(V2Hooks.Builder hooks) {
    }

    /** Adds the feature's own routes (under its own prefix: {@code /api/v1/…}, {@code /helm/…}, {@code /token}). */
    default void routing(HttpRouting.Builder routing) {
    }

    /** Starts background work (schedulers) once the server listens. */
    default void start() {
    }

    @Override
    default void close() {
    }
}
