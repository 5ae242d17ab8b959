package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;

import java.util.List;
import java.util.Objects;

/**
 * Everything found for one manifest digest: every signature and attestation (tag sidecars and
 * referrers), each verified or not with its signer and reason, and whether the policy is met.
 *
 * @param repository   the repository
 * @param subject      the manifest digest
 * @param policy       name of the policy that applies, or null when none covers the repository
 * @param enforcement  that policy's enforcement ({@link Enforcement#NONE} without a policy)
 * @param policyMet    true when the policy is met (false without a policy)
 * @param summary      one sentence saying why the policy is or is not met
 * @param signatures   signatures found
 * @param attestations attestations found
 */
public record VerificationReport(RepositoryName repository, Digest subject, String policy, Enforcement enforcement,
                                 boolean policyMet, String summary, List<Finding> signatures,
                                 List<Finding> attestations) {
    public VerificationReport {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(summary, "summary");
        signatures = List.copyOf(signatures);
        attestations = List.copyOf(attestations);
    }
}
