package dev.akua.registry.auth.permission;

import dev.akua.registry.auth.Action;
import dev.akua.registry.auth.Principal;
import dev.akua.registry.oci.RepositoryName;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what, per repository pattern. For a repository, the most specific matching rule
 * decides alone ({@link RepositoryPattern#longestMatch}): a rule for {@code team/secret} with no
 * anonymous grant hides that repository even if {@code **} lets anonymous pull. Within the rule,
 * a principal gets the union of the grants naming it, its groups, {@code authenticated} (if signed
 * in) and {@code anonymous}. Global admins get every action on every repository. No matching rule
 * means no rights.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class PermissionPolicy {
    /**
     * One rule: a repository pattern and the actions it grants to each subject.
     *
     * @param pattern the repositories the rule covers
     * @param grants  actions per subject
     */
    public record Rule(RepositoryPattern pattern, Map<Subject, Set<Action>> grants) {
        public Rule {
            Objects.requireNonNull(pattern, "pattern");
            Map<Subject, Set<Action>> copy = new LinkedHashMap<>();
            grants.forEach((subject, actions) -> {
                if (!Action.REPOSITORY_ACTIONS.containsAll(actions)) {
                    throw new IllegalArgumentException("rule '" + pattern + "': only pull, push, delete, sign and admin can be granted");
                }
                copy.put(Objects.requireNonNull(subject), actions.isEmpty()
                        ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(actions)));
            });
            grants = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * What a principal gets on one repository and why.
     *
     * @param actions    the actions, {@code admin} expanded
     * @param rule       the rule that decided, if any matched
     * @param globalAdmin true if the principal is a configured global admin
     */
    public record Evaluation(Set<Action> actions, Optional<Rule> rule, boolean globalAdmin) {
    }

    private final List<Rule> rules;
    private final Map<String, Set<Principal>> groups;
    private final Set<Subject> admins;

    /**
     * @param rules  the rules, in declaration order (the tie-breaker between equally specific patterns)
     * @param groups group name to members
     * @param admins subjects that get every action everywhere
     */
    public PermissionPolicy(List<Rule> rules, Map<String, Set<Principal>> groups, Set<Subject> admins) {
        this.rules = List.copyOf(rules);
        Map<String, Set<Principal>> g = new LinkedHashMap<>();
        groups.forEach((name, members) -> g.put(name, Set.copyOf(members)));
        this.groups = Collections.unmodifiableMap(g);
        this.admins = Set.copyOf(admins);
    }

    /** Everyone, signed in or not, may do everything: the embedded quick start. */
    public static PermissionPolicy openToEveryone() {
        return new PermissionPolicy(
                List.of(new Rule(new RepositoryPattern("**"), Map.of(Subject.parse("anonymous"), Action.REPOSITORY_ACTIONS))),
                Map.of(), Set.of());
    }

    public Evaluation evaluate(Principal principal, RepositoryName repository) {
        Objects.requireNonNull(principal, "principal");
        if (isGlobalAdmin(principal)) {
            return new Evaluation(Action.withImplied(EnumSet.of(Action.ADMIN)), Optional.empty(), true);
        }
        Optional<Rule> rule = RepositoryPattern.longestMatch(rules, Rule::pattern, repository);
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        rule.ifPresent(r -> r.grants().forEach((subject, granted) -> {
            if (applies(subject, principal)) {
                actions.addAll(granted);
            }
        }));
        return new Evaluation(Collections.unmodifiableSet(Action.withImplied(actions)), rule, false);
    }

    public Set<Action> actions(Principal principal, RepositoryName repository) {
        return evaluate(principal, repository).actions();
    }

    /**
     * True if some rule lets the principal pull somewhere. Gates {@code registry:catalog:*}; the
     * listing itself is then filtered per repository.
     */
    public boolean mayPullSomewhere(Principal principal) {
        if (isGlobalAdmin(principal)) {
            return true;
        }
        for (Rule rule : rules) {
            for (Map.Entry<Subject, Set<Action>> grant : rule.grants().entrySet()) {
                Set<Action> a = grant.getValue();
                if ((a.contains(Action.PULL) || a.contains(Action.ADMIN)) && applies(grant.getKey(), principal)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The groups the principal belongs to, sorted. */
    public Set<String> groupsOf(Principal principal) {
        return groups.entrySet().stream()
                .filter(e -> e.getValue().contains(principal))
                .map(Map.Entry::getKey)
                .sorted()
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    public boolean isGlobalAdmin(Principal principal) {
        for (Subject admin : admins) {
            if (admin.kind() != Subject.Kind.ANONYMOUS && applies(admin, principal)) {
                return true;
            }
        }
        return false;
    }

    private boolean applies(Subject subject, Principal principal) {
        if (subject.kind() == Subject.Kind.GROUP) {
            Set<Principal> members = groups.get(subject.name());
            return members != null && members.contains(principal);
        }
        return subject.names(principal);
    }

    public List<Rule> rules() {
        return rules;
    }
}
