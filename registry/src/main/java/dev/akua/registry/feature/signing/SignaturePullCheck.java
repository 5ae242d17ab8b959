package dev.akua.registry.feature.signing;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.ManifestPullCheck;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.Enforcement;
import dev.akua.registry.signing.PullDecision;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.storage.manifest.Revision;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code enforce: pull}: before a manifest GET or HEAD is answered, a repository under an enforcing
 * policy only serves artifacts with a signature that verifies under that policy; otherwise 403
 * {@code DENIED} with the reason (which policy, what was found, why it did not verify). HEAD and GET
 * decide alike. Signatures, attestations and referrer artifacts themselves stay fetchable (decided by
 * their content, in {@code SignatureVerification.checkPull}). A tag is resolved before the check, so
 * a tag moved to an unsigned digest is refused even though the old digest was signed.
 *
 * <p>Repositories no enforcing policy covers cost nothing: the manifest bytes are not even read.
 */
final class SignaturePullCheck implements ManifestPullCheck {
    private final TrustPolicies policies;
    private final Verifications verifications;

    SignaturePullCheck(TrustPolicies policies, Verifications verifications) {
        this.policies = policies;
        this.verifications = verifications;
    }

    @Override
    public void check(Caller caller, RepositoryName repository, Reference requested, Revision revision, Supplier<byte[]> bytes) {
        boolean enforced = policies.forRepository(repository).map(p -> p.enforcement() == Enforcement.PULL).orElse(false);
        if (!enforced) {
            return;
        }
        PullDecision decision;
        try {
            decision = verifications.current().checkPull(repository, requested, revision.digest(), bytes.get());
        } catch (IOException e) {
            // fail closed, and say it is the backend (503), not the artifact
            throw Verifications.unavailable(repository, revision.digest(), e);
        }
        decision.throwIfDenied();
    }
}
