package dev.akua.registry.storage;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.io.IOException;

/**
 * Turns backend I/O failures into {@code UNAVAILABLE} (503 with {@code Retry-After}): a storage
 * outage is a reason to retry, not a server bug. The message names the action, so logs say what
 * was being attempted.
 */
public final class StorageFailures {
    private StorageFailures() {
    }

    public static OciException unavailable(String action, IOException cause) {
        return OciException.of(ErrorCode.UNAVAILABLE, "storage unavailable while " + action + ": " + cause.getMessage())
                .withHeader("Retry-After", "5")
                .withCause(cause);
    }
}
