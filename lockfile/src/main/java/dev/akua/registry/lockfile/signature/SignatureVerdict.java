package dev.akua.registry.lockfile.signature;

import java.util.Objects;

/** A {@link SignatureVerifier}'s judgement. */
public sealed interface SignatureVerdict permits SignatureVerdict.Verified, SignatureVerdict.Rejected {

    /**
     * A signature verified.
     *
     * @param lockValue the akua.lock {@code signature} value, {@code cosign:key:<key id>} or
     *                  {@code cosign:sigstore:<issuer>} (akua's documented convention, §4.2)
     */
    record Verified(String lockValue) implements SignatureVerdict {
        public Verified {
            Objects.requireNonNull(lockValue, "lockValue");
            if (!lockValue.startsWith("cosign:")) {
                throw new IllegalArgumentException("signature value must start with cosign: " + lockValue);
            }
        }
    }

    /**
     * No signature verified.
     *
     * @param reason why, for the error message
     */
    record Rejected(String reason) implements SignatureVerdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
