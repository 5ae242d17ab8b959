package dev.akua.registry.signing;

import java.util.Objects;

/** Server-side signing could not be done; {@link #reason()} says which case, for the HTTP mapping. */
public final class SigningException extends RuntimeException {
    /** The cases, with the answer the registry is expected to give. */
    public enum Reason {
        /** No configured key has that name (400, or 404 on a key lookup). */
        KEY_UNKNOWN,
        /** The key exists but cannot be used: passphrase variable unset or wrong, file corrupt (503; an operator problem). */
        KEY_UNAVAILABLE,
        /** The digest to sign is not a manifest of the repository ({@code MANIFEST_UNKNOWN}, 404). */
        SUBJECT_UNKNOWN,
        /** The sidecar already holds the maximum number of signatures (409 or 400 with this message). */
        TOO_MANY_SIGNATURES,
        /** The existing sidecar cannot be extended (it is not a manifest with a layers array) (409). */
        SIDECAR_INVALID,
        /** The request itself is malformed: bad key name, key already exists on create (400). */
        INVALID_REQUEST
    }

    private final Reason reason;

    public SigningException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SigningException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
