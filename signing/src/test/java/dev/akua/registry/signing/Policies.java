package dev.akua.registry.signing;

import dev.akua.registry.signing.key.SigningKey;

import java.util.List;

/** Policies and verifiers for tests. */
final class Policies {
    private Policies() {
    }

    static TrustPolicy trusting(SigningKey key, Enforcement enforcement) {
        return new TrustPolicy("release", List.of(RepositoryPattern.parse("acme/**")),
                List.of(new TrustedKey("release", key.publicKey())), List.of(), enforcement, List.of());
    }

    static SignatureVerification verifier(InMemoryContent content, TrustPolicy policy) {
        return new SignatureVerification(content, new TrustPolicies(List.of(policy), null), VerificationLimits.defaults());
    }
}
