package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.RepositoryPattern;
import dev.akua.registry.signing.SignatureContent;
import dev.akua.registry.signing.SignatureVerification;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.VerificationLimits;
import dev.akua.registry.signing.VerificationReport;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code onlySigned}: an artifact is taken only when its signatures <em>verify</em> under the trust
 * policy (signing module: cosign {@code .sig} layers, DSSE {@code .att}, Sigstore bundle referrers,
 * against trusted keys or keyless identities) — a signature that exists but was made by an untrusted
 * key, or does not match the digest, does not count. The policy is the one the registry's signing
 * configuration applies to the <em>local</em> repository, or one named by the rule.
 */
final class SignatureGate {
    private final Supplier<TrustPolicies> policies;
    private final VerificationLimits limits;

    /** @param policies read when a decision is made (the registry's signing feature may be built after the mirror) */
    SignatureGate(Supplier<TrustPolicies> policies, VerificationLimits limits) {
        this.policies = policies;
        this.limits = limits;
    }

    /**
     * @param policyName a policy to use whatever repositories it covers, or null for the covering one
     * @return empty when the policy is met; else why not
     */
    Optional<String> refusal(SignatureContent content, RepositoryName local, Digest digest, String policyName) throws IOException {
        TrustPolicies configured = policies.get();
        TrustPolicies effective = configured;
        if (policyName != null) {
            TrustPolicy named = configured.policies().stream().filter(p -> p.name().equals(policyName)).findFirst()
                    .orElse(null);
            if (named == null) {
                return Optional.of("no trust policy named '" + policyName + "' is configured (signing.policies)");
            }
            effective = new TrustPolicies(List.of(new TrustPolicy(named.name(), List.of(RepositoryPattern.parse("**")), named.keys(),
                    named.identities(), named.enforcement(), named.requiredAttestations())), configured.trustedRoot());
        }
        if (effective.forRepository(local).isEmpty()) {
            return Optional.of("no trust policy covers " + local + " (signing.policies), so nothing can verify");
        }
        VerificationReport report = new SignatureVerification(content, effective, limits).verify(local, digest);
        return report.policyMet() ? Optional.empty() : Optional.of("policy '" + report.policy() + "': " + report.summary());
    }

    boolean covers(RepositoryName repository) {
        return policies.get().forRepository(repository).isPresent();
    }

    boolean hasPolicies() {
        return !policies.get().policies().isEmpty();
    }
}
