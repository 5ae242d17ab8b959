package dev.akua.registry.signing.key;

/** A key could not be read: unknown PEM type, unsupported algorithm, wrong passphrase, corrupt data. */
public final class KeyFormatException extends RuntimeException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
