package dev.akua.registry.auth.permission;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which tags may never move or disappear once they exist. Each rule pairs a repository pattern
 * with a tag pattern; for a repository the most specific rule decides alone (so a
 * {@code scratch/**} rule with tags {@code none} exempts a subtree from a {@code **} rule).
 *
 * <p>Cosign sidecar tags ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}) are never
 * immutable, whatever a rule says: akua and cosign rewrite them on every re-sign
 * (akua-wire-contract.md §9 item 7).
 */
public final class ImmutableTagPolicy {
    /** Tag spelling of {@code semver} (SemVer 2.0.0 grammar, optional leading {@code v}). OCI tags
     * cannot hold {@code +}, so build metadata is also accepted after {@code _}, the character Helm
     * puts in its place. */
    static final String SEMVER_REGEX =
            "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:[_+]([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?";
    private static final Pattern SIDECAR = Pattern.compile("(?:sha256-[0-9a-f]{64}|sha512-[0-9a-f]{128})\\.(?:sig|att|sbom)");

    /**
     * @param repositories the repositories the rule covers
     * @param tagSpec      {@code semver}, {@code none}, or a regular expression the whole tag must match
     * @param tags         the compiled tag pattern; empty for {@code none}
     */
    public record Rule(RepositoryPattern repositories, String tagSpec, Optional<Pattern> tags) {
        public Rule {
            Objects.requireNonNull(repositories, "repositories");
            Objects.requireNonNull(tagSpec, "tagSpec");
            Objects.requireNonNull(tags, "tags");
        }

        /** Parses a tag spec: {@code semver}, {@code none}, or a regular expression (whole-tag match). */
        public static Rule of(String repositoryGlob, String tagSpec) {
            RepositoryPattern repositories = RepositoryPattern.parse(repositoryGlob);
            String spec = tagSpec == null ? "" : tagSpec.trim();
            return switch (spec) {
                case "semver" -> new Rule(repositories, spec, Optional.of(Pattern.compile(SEMVER_REGEX)));
                case "none" -> new Rule(repositories, spec, Optional.empty());
                default -> {
                    if (spec.isEmpty() || spec.length() > 1000) {
                        throw new IllegalArgumentException("immutable tag rule for '" + repositoryGlob
                                + "': tags must be semver, none, or a regular expression of at most 1000 characters");
                    }
                    try {
                        yield new Rule(repositories, spec, Optional.of(Pattern.compile(spec)));
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("immutable tag rule for '" + repositoryGlob
                                + "': invalid regular expression: " + e.getDescription(), e);
                    }
                }
            };
        }

        /** How the rule is named in denial messages. */
        public String describe() {
            return "repositories '" + repositories + "', tags " + (tagSpec.equals("semver") || tagSpec.equals("none")
                    ? tagSpec : "'" + tagSpec + "'");
        }
    }

    private final List<Rule> rules;

    public ImmutableTagPolicy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Semver tags are immutable in every repository. */
    public static ImmutableTagPolicy semverEverywhere() {
        return new ImmutableTagPolicy(List.of(Rule.of("**", "semver")));
    }

    /** The rule that makes {@code tag} immutable in {@code repository}, if any. */
    public Optional<Rule> protecting(RepositoryName repository, Tag tag) {
        if (isCosignSidecar(tag)) {
            return Optional.empty();
        }
        return RepositoryPattern.longestMatch(rules, Rule::repositories, repository)
                .filter(rule -> rule.tags().map(p -> p.matcher(tag.value()).matches()).orElse(false));
    }

    /** The rule in force for a repository (for the effective-permissions listing). */
    public Optional<Rule> ruleFor(RepositoryName repository) {
        return RepositoryPattern.longestMatch(rules, Rule::repositories, repository);
    }

    public static boolean isCosignSidecar(Tag tag) {
        return SIDECAR.matcher(tag.value()).matches();
    }
}
