package dev.akua.registry.signing.key;

import java.util.Objects;

/**
 * Outcome of checking one signature against one key: valid, or the reason it is not.
 *
 * @param valid  true when the signature verifies
 * @param reason why not (null when valid)
 */
public record SignatureCheck(boolean valid, String reason) {
    public static final SignatureCheck VALID = new SignatureCheck(true, null);

    public SignatureCheck {
        if (!valid) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public static SignatureCheck invalid(String reason) {
        return new SignatureCheck(false, reason);
    }

    /** True when the signature bytes could be decoded and checked, i.e. the failure is cryptographic. */
    public boolean isMismatch() {
        return !valid && reason.startsWith(MISMATCH);
    }

    static final String MISMATCH = "signature does not verify";
}
