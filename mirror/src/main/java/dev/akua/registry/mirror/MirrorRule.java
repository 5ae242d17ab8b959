package dev.akua.registry.mirror;

import dev.akua.registry.signing.RepositoryPattern;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to copy from an upstream: repositories (upstream names; patterns with {@code *} within a path
 * component and {@code **} for any number of components are matched against the upstream's
 * catalog, literal names are taken as they are), which tags, and how.
 *
 * @param name       a name for reports and the CLI
 * @param upstream   the {@link Upstream#name()}
 * @param repositories upstream repository patterns
 * @param tags       which tags
 * @param onlySigned keep only artifacts whose signatures verify under the trust policy
 * @param policy     the trust policy to verify with (by name), or null for the one covering the local repository
 * @param signatures copy cosign sidecars ({@code sha256-<hex>.sig/.att/.sbom})
 * @param referrers  copy OCI 1.1 referrers (SBOMs, Sigstore bundles, …)
 * @param interval   how often the scheduler runs the rule; zero: only on command
 */
public record MirrorRule(String name, String upstream, List<RepositoryPattern> repositories, TagFilter tags, boolean onlySigned,
                         String policy, boolean signatures, boolean referrers, Duration interval) {
    public MirrorRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstream, "upstream");
        repositories = List.copyOf(repositories);
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("rule " + name + " names no repositories");
        }
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("rule " + name + ": interval must not be negative");
        }
    }

    /** A literal pattern (no {@code *}) names one repository; the catalog is not needed for it. */
    static boolean isLiteral(RepositoryPattern pattern) {
        return !pattern.value().contains("*");
    }
}
