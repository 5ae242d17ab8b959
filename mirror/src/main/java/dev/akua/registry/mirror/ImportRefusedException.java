package dev.akua.registry.mirror;

import java.io.IOException;

/**
 * The archive was refused before anything of it became visible: a blob that does not match its
 * name, a manifest referencing something the archive lacks, a malformed layout, or artifacts that
 * do not meet their trust policy.
 */
public final class ImportRefusedException extends IOException {
    ImportRefusedException(String message) {
        super(message);
    }

    ImportRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
