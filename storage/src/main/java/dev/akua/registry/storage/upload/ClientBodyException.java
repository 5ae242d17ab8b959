package dev.akua.registry.storage.upload;

import java.io.IOException;

/**
 * Raised by request-body streams when the client's bytes stop early or break the framing, so the
 * upload store can answer 400 instead of blaming storage.
 */
public final class ClientBodyException extends IOException {
    public ClientBodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
