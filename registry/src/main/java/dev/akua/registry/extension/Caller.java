package dev.akua.registry.extension;

import java.util.Objects;

/**
 * Who made a request, as decided by the {@link AccessGate}. {@code identity} is the gate's own
 * representation (e.g. the auth module's principal), passed back to the gate and to features that
 * need it; the registry core never looks inside.
 *
 * @param subject       a printable name for logs and audit ("anonymous" when nobody)
 * @param anonymous     true when no credentials were presented
 * @param clientAddress the peer address of the request
 * @param identity      the gate's principal object, or null
 */
public record Caller(String subject, boolean anonymous, String clientAddress, Object identity) {
    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }

    public static Caller anonymous(String clientAddress) {
        return new Caller("anonymous", true, clientAddress, null);
    }
}
