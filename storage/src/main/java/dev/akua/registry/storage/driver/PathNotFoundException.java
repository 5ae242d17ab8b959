package dev.akua.registry.storage.driver;

import java.io.IOException;

/** The path names no object (and, for {@code list}, no directory). */
public final class PathNotFoundException extends IOException {
    public PathNotFoundException(String path) {
        super("path not found: " + path, null);
    }
}
