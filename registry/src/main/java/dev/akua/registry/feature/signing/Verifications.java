package dev.akua.registry.feature.signing;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.RegistryListener;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.signing.SignatureContent;
import dev.akua.registry.signing.SignatureVerification;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.VerificationLimits;
import dev.akua.registry.signing.VerificationReport;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The verifier the feature uses everywhere (pull check, API, published {@link Signatures}), and the
 * listener that keeps its cache honest.
 *
 * <p>{@link SignatureVerification} keys its results by content: subject digest, sidecar or referrer
 * manifest digest, policy version; it reads the sidecar tags and the referrers index on every call.
 * A re-pushed sidecar, a sidecar tag deleted or moved, a referrer added or removed, and a tag of the
 * artifact moved to another digest are therefore all seen at once without invalidation. What a key
 * cannot see is a payload, envelope or bundle blob deleted from the repository after its sidecar was
 * verified; on {@link #blobDeleted} the whole cache is dropped (deletes are rare; a fresh verifier
 * costs nothing until it is used).
 */
final class Verifications implements RegistryListener, Signatures {
    private final SignatureContent content;
    private final TrustPolicies policies;
    private final VerificationLimits limits;
    private final AtomicReference<SignatureVerification> current = new AtomicReference<>();

    Verifications(SignatureContent content, TrustPolicies policies, VerificationLimits limits) {
        this.content = content;
        this.policies = policies;
        this.limits = limits;
        reset();
    }

    /** The verifier to use for one request (do not keep it: it is replaced when the cache is dropped). */
    SignatureVerification current() {
        return current.get();
    }

    void reset() {
        current.set(new SignatureVerification(content, policies, limits));
    }

    @Override
    public void blobDeleted(Caller caller, RepositoryName repository, Digest digest) {
        reset();
    }

    @Override
    public TrustPolicies policies() {
        return policies;
    }

    @Override
    public VerificationReport verify(RepositoryName repository, Digest digest) {
        try {
            return current().verify(repository, digest);
        } catch (IOException e) {
            throw unavailable(repository, digest, e);
        }
    }

    @Override
    public VerificationReport verify(RepositoryName repository, Digest digest, TrustPolicy policy) {
        try {
            // shares the cache; entries are keyed by policy version, so results never cross policies
            return current().withPolicies(new TrustPolicies(List.of(policy), policies.trustedRoot())).verify(repository, digest);
        } catch (IOException e) {
            throw unavailable(repository, digest, e);
        }
    }

    static OciException unavailable(RepositoryName repository, Digest digest, IOException e) {
        return OciException.of(ErrorCode.UNAVAILABLE, "storage unavailable while verifying signatures of "
                + repository + "@" + digest + ": " + e.getMessage()).withCause(e);
    }
}
