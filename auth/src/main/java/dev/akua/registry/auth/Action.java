package dev.akua.registry.auth;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a principal may do to a resource. The first three are the Docker token-scope actions
 * ({@code repository:<name>:pull,push,delete}); {@code sign} and {@code admin} are this registry's
 * own (the signing endpoint and administrative endpoints ask for them); {@code *} is the action the
 * Docker scope grammar uses for {@code registry:catalog:*}.
 *
 * <p>{@code admin} implies every repository action; no other action implies another (as in
 * Distribution, {@code push} does not imply {@code pull} and {@code delete} is separate).
 */
public enum Action {
    PULL("pull"),
    PUSH("push"),
    DELETE("delete"),
    SIGN("sign"),
    ADMIN("admin"),
    /** Only valid on the {@code registry:catalog} resource. */
    CATALOG("*");

    /** The actions a repository grant can carry, in display order. */
    public static final Set<Action> REPOSITORY_ACTIONS = Set.copyOf(EnumSet.of(PULL, PUSH, DELETE, SIGN, ADMIN));

    private final String wire;

    Action(String wire) {
        this.wire = wire;
    }

    /** The token-scope spelling ({@code pull}, {@code *}, ...). */
    public String wireName() {
        return wire;
    }

    /** Case-sensitive, as the Docker scope grammar is; empty for unknown actions. */
    public static Optional<Action> fromWire(String s) {
        for (Action a : values()) {
            if (a.wire.equals(s)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Expands {@code admin} into every repository action; returns a new mutable set. */
    public static EnumSet<Action> withImplied(Set<Action> actions) {
        EnumSet<Action> out = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
        if (out.contains(ADMIN)) {
            out.addAll(REPOSITORY_ACTIONS);
        }
        return out;
    }

    @Override
    public String toString() {
        return wire;
    }
}
