package dev.akua.registry.auth;

import java.util.Optional;

/** The resource types of the Docker token scope grammar that this registry understands. */
public enum ResourceType {
    /** {@code repository:<name>:<actions>}. */
    REPOSITORY("repository"),
    /** {@code registry:catalog:*}: listing the repositories ({@code GET /v2/_catalog}). */
    REGISTRY("registry");

    private final String wire;

    ResourceType(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }

    static Optional<ResourceType> fromWire(String s) {
        for (ResourceType t : values()) {
            if (t.wire.equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
