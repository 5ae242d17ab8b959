package dev.akua.registry.extension;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a request needs, in the vocabulary of Docker token scopes: a resource ({@code repository}
 * with a name, or {@code registry} with {@code catalog}) and actions.
 */
public record RequiredAccess(String resourceType, String resourceName, Set<Action> actions) {
    public enum Action {
        PULL, PUSH, DELETE;

        public String scopeName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RequiredAccess {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resourceName, "resourceName");
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    public static RequiredAccess repository(String name, Action... actions) {
        return new RequiredAccess("repository", name, Set.of(actions));
    }

    public static RequiredAccess catalog() {
        return new RequiredAccess("registry", "catalog", Set.of());
    }
}
