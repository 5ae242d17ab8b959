package dev.akua.registry.auth;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One entry of the Docker token scope grammar, {@code <type>:<name>:<action>[,<action>...]}
 * (Docker "Token Scope Documentation"): either {@code repository:<name>:<actions>} or
 * {@code registry:catalog:*}.
 *
 * <p>{@link #toString()} gives the grammar's form with comma-joined actions, used in token
 * requests and in the JWT {@code access} claim. Challenges must not use it: akua 0.8.5 splits a
 * {@code WWW-Authenticate} value on every comma (akua-wire-contract.md §1.5), so
 * {@link #challengeForms()} gives one single-action scope per action instead.
 *
 * @param type    the resource type
 * @param name    a valid repository name, or {@code catalog} for {@link ResourceType#REGISTRY}
 * @param actions at least one action; {@code *} only on the catalog, repository actions only on repositories
 */
public record Scope(ResourceType type, String name, Set<Action> actions) {
    /** Longest scope string accepted: a 255-character name plus type and every action. */
    static final int MAX_LENGTH = 512;
    static final String CATALOG = "catalog";

    public Scope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(actions, "actions");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a scope needs at least one action");
        }
        actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
        if (type == ResourceType.REPOSITORY) {
            RepositoryName.parse(name);
            if (actions.contains(Action.CATALOG)) {
                throw new IllegalArgumentException("action * is only valid on registry:catalog");
            }
        } else if (!name.equals(CATALOG) || !actions.equals(EnumSet.of(Action.CATALOG))) {
            throw new IllegalArgumentException("the only registry scope is registry:catalog:*");
        }
    }

    public static Scope repository(RepositoryName name, Action first, Action... more) {
        return new Scope(ResourceType.REPOSITORY, name.value(), EnumSet.of(first, more));
    }

    public static Scope repository(RepositoryName name, Set<Action> actions) {
        return new Scope(ResourceType.REPOSITORY, name.value(), actions);
    }

    /** {@code registry:catalog:*}, what {@code GET /v2/_catalog} requires. */
    public static Scope catalog() {
        return new Scope(ResourceType.REGISTRY, CATALOG, EnumSet.of(Action.CATALOG));
    }

    /**
     * Parses a scope strictly: every part must be understood.
     *
     * @throws OciException {@code NAME_INVALID} for a bad repository name, {@code UNSUPPORTED} (400) otherwise
     */
    public static Scope parse(String text) {
        Optional<Scope> scope = parseRequested(text);
        return scope.orElseThrow(() -> malformed(text, "unknown resource type or action"));
    }

    /**
     * Parses a scope as a token request carries it. A malformed string is an error; a well-formed
     * scope naming a resource type or actions this registry does not know is empty, so that it is
     * granted nothing (Docker token servers grant the intersection of requested and permitted).
     */
    static Optional<Scope> parseRequested(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw malformed(text, "empty or longer than " + MAX_LENGTH + " characters");
        }
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1) {
            throw malformed(text, "expected <type>:<name>:<actions>");
        }
        String typeText = text.substring(0, first);
        String name = text.substring(first + 1, last);
        String actionText = text.substring(last + 1);
        Optional<ResourceType> type = ResourceType.fromWire(typeText);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (type.get() == ResourceType.REPOSITORY && !RepositoryName.isValid(name)) {
            throw OciException.of(ErrorCode.NAME_INVALID, "invalid repository name in scope: " + abbreviate(name))
                    .withStatus(400);
        }
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        for (String a : actionText.split(",", -1)) {
            Action.fromWire(a.trim()).ifPresent(actions::add);
        }
        if (type.get() == ResourceType.REPOSITORY) {
            actions.remove(Action.CATALOG);
        } else if (!name.equals(CATALOG)) {
            return Optional.empty();
        } else {
            actions.retainAll(EnumSet.of(Action.CATALOG));
        }
        return actions.isEmpty() ? Optional.empty() : Optional.of(new Scope(type.get(), name, actions));
    }

    /** The repository this scope is about; only for {@link ResourceType#REPOSITORY}. */
    public RepositoryName repository() {
        if (type != ResourceType.REPOSITORY) {
            throw new IllegalStateException("not a repository scope: " + this);
        }
        return new RepositoryName(name);
    }

    /** Same resource, other actions; empty when {@code keep} removes every action. */
    Optional<Scope> withActions(Set<Action> keep) {
        EnumSet<Action> remaining = EnumSet.copyOf(actions);
        remaining.retainAll(keep);
        return remaining.isEmpty() ? Optional.empty() : Optional.of(new Scope(type, name, remaining));
    }

    boolean sameResource(Scope other) {
        return type == other.type && name.equals(other.name);
    }

    /**
     * One single-action scope per action ({@code repository:a/b:pull}, {@code repository:a/b:push}),
     * to be joined with spaces inside a challenge: no commas, which akua 0.8.5 cannot parse.
     */
    public List<String> challengeForms() {
        List<String> out = new ArrayList<>(actions.size());
        for (Action a : actions) {
            out.add(type.wireName() + ":" + name + ":" + a.wireName());
        }
        return out;
    }

    @Override
    public String toString() {
        return type.wireName() + ":" + name + ":"
                + actions.stream().map(Action::wireName).collect(Collectors.joining(","));
    }

    private static OciException malformed(String text, String why) {
        return OciException.of(ErrorCode.UNSUPPORTED, "malformed scope " + abbreviate(text) + ": " + why)
                .withStatus(400);
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "(none)";
        }
        String clean = s.replaceAll("[\\p{Cntrl}\"]", "?");
        return clean.length() <= 80 ? "'" + clean + "'" : "'" + clean.substring(0, 77) + "...'";
    }
}
