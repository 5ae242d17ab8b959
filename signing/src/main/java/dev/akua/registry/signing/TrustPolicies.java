package dev.akua.registry.signing;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.bundle.KeylessTrust;

import java.util.List;
import java.util.Optional;

/**
 * The configured trust policies, in order: the first whose patterns cover a repository applies to
 * it. The optional Sigstore trusted root is shared by every policy's keyless identities.
 */
public final class TrustPolicies {
    private final List<TrustPolicy> policies;
    private final KeylessTrust trustedRoot;

    /**
     * @param policies    in precedence order
     * @param trustedRoot the {@code trusted_root.json} for keyless bundles, or null when none is configured
     */
    public TrustPolicies(List<TrustPolicy> policies, KeylessTrust trustedRoot) {
        this.policies = List.copyOf(policies);
        this.trustedRoot = trustedRoot;
    }

    public static TrustPolicies none() {
        return new TrustPolicies(List.of(), null);
    }

    /** The policy covering {@code repository}: the first in order whose patterns match. */
    public Optional<TrustPolicy> forRepository(RepositoryName repository) {
        return policies.stream().filter(p -> p.covers(repository)).findFirst();
    }

    public List<TrustPolicy> policies() {
        return policies;
    }

    /** The Sigstore trust root, or null. */
    public KeylessTrust trustedRoot() {
        return trustedRoot;
    }

    /** The version cached results under {@code policy} are keyed by (policy content + trusted root). */
    String versionOf(TrustPolicy policy) {
        return policy.contentVersion() + (trustedRoot == null ? "" : "+" + trustedRoot.digest());
    }
}
