package dev.akua.registry.feature.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.Enforcement;
import dev.akua.registry.signing.RepositoryPattern;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.TrustedKey;
import dev.akua.registry.signing.VerificationReport;

import java.util.List;

/**
 * Signature verification of this registry's own content, published by the signing feature as a
 * {@code FeatureContext} service for features built after it (the lock resolver's "is this digest
 * signed", the mirror's {@code onlySigned}):
 * <pre>ctx.service(Signatures.class).map(s -&gt; s.verify(repo, digest).policyMet())</pre>
 *
 * <p>Results are never stale: they are cached by content (subject digest, sidecar or referrer
 * manifest digest, policy version), the sidecar tag and the referrers index are read on every call,
 * and the cache is dropped when a blob is deleted. Storage failures are thrown as
 * {@code OciException} {@code UNAVAILABLE} (503), never reported as "not signed".
 */
public interface Signatures {

    /** The trust policies configured in {@code signing.policies}. */
    TrustPolicies policies();

    /** Everything found for {@code digest}, verified under the configured policy covering {@code repository}. */
    VerificationReport verify(RepositoryName repository, Digest digest);

    /**
     * Everything found for {@code digest}, verified under {@code policy} instead of the configured
     * one (keyless identities use the configured trusted root). The policy must cover
     * {@code repository}, else the report says no policy applies; {@link #anyRepository} helps.
     */
    VerificationReport verify(RepositoryName repository, Digest digest, TrustPolicy policy);

    /** True when at least one signature of {@code digest} verifies with one of {@code keys}. */
    default boolean signedByAny(RepositoryName repository, Digest digest, List<TrustedKey> keys) {
        return verify(repository, digest, anyRepository("keys", keys)).policyMet();
    }

    /** A report-only policy trusting {@code keys} for every repository. */
    static TrustPolicy anyRepository(String name, List<TrustedKey> keys) {
        return new TrustPolicy(name, List.of(RepositoryPattern.parse("**")), keys, List.of(), Enforcement.NONE, List.of());
    }
}
