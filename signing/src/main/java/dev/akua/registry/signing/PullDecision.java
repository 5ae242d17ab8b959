package dev.akua.registry.signing;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.Objects;

/**
 * The answer to "may this manifest be served?" under {@code enforce: pull}.
 *
 * @param allowed true to serve it
 * @param reason  why: the deny message for the 403 body, or why it was allowed
 */
public record PullDecision(boolean allowed, String reason) {
    public PullDecision {
        Objects.requireNonNull(reason, "reason");
    }

    static PullDecision allow(String reason) {
        return new PullDecision(true, reason);
    }

    static PullDecision deny(String reason) {
        return new PullDecision(false, reason);
    }

    /** Throws the spec's {@code DENIED} (403) with the reason as message when the pull is refused. */
    public void throwIfDenied() {
        if (!allowed) {
            throw OciException.of(ErrorCode.DENIED, reason);
        }
    }
}
