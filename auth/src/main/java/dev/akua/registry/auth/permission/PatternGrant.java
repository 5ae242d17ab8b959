package dev.akua.registry.auth.permission;

import dev.akua.registry.auth.Action;
import dev.akua.registry.oci.RepositoryName;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Actions on the repositories a pattern matches, written {@code <glob>:<action>[,<action>...]}
 * ({@code team-a/**:pull,push}): the scopes of a robot account or of a personal token. A list of
 * them is evaluated like the policy: the most specific matching pattern decides.
 *
 * @param pattern the repositories
 * @param actions pull, push, delete, sign and/or admin
 */
public record PatternGrant(RepositoryPattern pattern, Set<Action> actions) {
    public PatternGrant {
        Objects.requireNonNull(pattern, "pattern");
        if (actions.isEmpty() || !Action.REPOSITORY_ACTIONS.containsAll(actions)) {
            throw new IllegalArgumentException("scope '" + pattern + "' needs one or more of pull, push, delete, sign, admin");
        }
        actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
    }

    public static PatternGrant parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("invalid scope '" + t + "': expected <repository glob>:<actions>, e.g. team-a/**:pull,push");
        }
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        for (String a : t.substring(colon + 1).split(",")) {
            Action action = Action.fromWire(a.trim())
                    .filter(Action.REPOSITORY_ACTIONS::contains)
                    .orElseThrow(() -> new IllegalArgumentException("invalid scope '" + t + "': unknown action '" + a.trim()
                            + "' (use pull, push, delete, sign, admin)"));
            actions.add(action);
        }
        return new PatternGrant(RepositoryPattern.parse(t.substring(0, colon)), actions);
    }

    /** The actions the most specific matching grant gives on {@code repository} ({@code admin} expanded). */
    public static Set<Action> actionsOn(List<PatternGrant> grants, RepositoryName repository) {
        return RepositoryPattern.longestMatch(grants, PatternGrant::pattern, repository)
                .map(g -> (Set<Action>) Action.withImplied(g.actions()))
                .orElse(Set.of());
    }

    /** True if any of the grants includes pull (or admin). */
    public static boolean anyPull(List<PatternGrant> grants) {
        return grants.stream().anyMatch(g -> g.actions.contains(Action.PULL) || g.actions.contains(Action.ADMIN));
    }

    @Override
    public String toString() {
        return pattern + ":" + actions.stream().map(Action::wireName).collect(Collectors.joining(","));
    }
}
