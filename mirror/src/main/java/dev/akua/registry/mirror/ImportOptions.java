package dev.akua.registry.mirror;

import dev.akua.registry.oci.RepositoryName;

/**
 * How an import treats signatures and archives from other tools.
 *
 * @param signatures        what the trust policies decide (below)
 * @param foreignRepository where descriptors without the repository annotation go (archives written
 *                          by other tools, e.g. {@code skopeo copy … oci-archive:…}), or null to refuse them
 */
public record ImportOptions(SignatureMode signatures, RepositoryName foreignRepository) {

    /** Signature checks at import, against the registry's trust policies ({@code signing.policies}). */
    public enum SignatureMode {
        /**
         * Every tagged artifact in a repository a trust policy covers must meet that policy; if one
         * does not, the whole import is refused and nothing is imported. Repositories no policy
         * covers are imported without a check. The default.
         */
        POLICY,
        /** As {@link #POLICY}, but artifacts that do not meet their policy are left out (with their sidecars and referrers) instead. */
        SKIP_UNSIGNED,
        /** No signature checks (digests are still verified). */
        NONE
    }

    public ImportOptions {
        java.util.Objects.requireNonNull(signatures, "signatures");
    }

    public static ImportOptions defaults() {
        return new ImportOptions(SignatureMode.POLICY, null);
    }
}
