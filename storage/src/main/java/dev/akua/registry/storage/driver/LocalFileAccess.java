package dev.akua.registry.storage.driver;

import java.nio.file.Path;

/** Capability of drivers whose objects are local files, so reads can use file channels directly. */
public interface LocalFileAccess {
    /** The local file behind an object path (it may not exist). */
    Path localPath(String path);
}
