package dev.akua.registry.storage.driver;

import java.time.Instant;
import java.util.Objects;

/** What {@link StorageDriver#stat} knows about a path. */
public record FileInfo(String path, long size, Instant modifiedAt, boolean directory) {
    public FileInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modifiedAt, "modifiedAt");
    }
}
