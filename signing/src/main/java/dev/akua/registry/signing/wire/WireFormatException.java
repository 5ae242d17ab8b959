package dev.akua.registry.signing.wire;

/**
 * A signed document or key file does not have the shape its format requires. The message is one
 * line, meant to be shown to the user as the reason a signature was not verified.
 */
public final class WireFormatException extends RuntimeException {
    public WireFormatException(String message) {
        super(message, null, false, false);
    }
}
