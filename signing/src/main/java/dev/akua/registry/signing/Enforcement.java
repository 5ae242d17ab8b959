package dev.akua.registry.signing;

/** What a trust policy does besides reporting. */
public enum Enforcement {
    /** Verification results are reported; pulls are never refused. */
    NONE,
    /**
     * {@code enforce: pull}: a manifest GET/HEAD of an artifact without a valid signature from the
     * policy is answered 403 {@code DENIED}. Signatures, attestations and referrer artifacts stay fetchable.
     */
    PULL;

    public static Enforcement parse(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("none")) {
            return NONE;
        }
        if (value.equalsIgnoreCase("pull")) {
            return PULL;
        }
        throw new IllegalArgumentException("enforce must be 'pull' or 'none', not '" + value + "'");
    }
}
