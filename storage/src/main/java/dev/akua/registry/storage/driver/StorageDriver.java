package dev.akua.registry.storage.driver;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * A byte-level store of named objects that knows nothing about OCI. Paths are absolute
 * ({@code /a/b/c}), made of components matching {@link StoragePath}; "directories" are implied by
 * the paths below them, as in object stores.
 *
 * <p>Contract (checked by the shared {@code StorageDriverContract} test suite that every driver runs):
 * <ul>
 *   <li>{@link #putContent} replaces an object atomically: readers see the old or the new bytes, never
 *       a mix or a partial object.</li>
 *   <li>{@link #writer} appends; bytes written are durable once {@link FileWriter#commit()} returns
 *       (and visible to readers once written, committed or not; an object store can only show them
 *       once the writer is committed or closed, never in part).
 *       A writer opened with {@code append=true} on an existing object continues after its last byte,
 *       also after a restart or from another process.</li>
 *   <li>{@link #move} replaces the destination atomically.</li>
 *   <li>Missing objects raise {@link PathNotFoundException}; other failures raise {@link IOException}
 *       and mean the backend is unavailable.</li>
 * </ul>
 * Optional abilities (local file access, redirects, a minimum chunk size, cleanup of abandoned
 * writes) are separate capability interfaces such as {@link LocalFileAccess}, {@link ReadRedirects},
 * {@link ChunkSizeHint} and {@link AbandonedWrites}, checked with {@code instanceof}.
 */
public interface StorageDriver {

    /** A short name for logs and configuration, e.g. {@code filesystem}. */
    String name();

    /** Reads a whole small object (links, metadata, manifests). */
    byte[] getContent(String path) throws IOException;

    /** Writes a whole small object, replacing any previous one atomically and durably. */
    void putContent(String path, byte[] content) throws IOException;

    /**
     * As {@link #putContent}, but the object need not survive a power loss (it must still appear
     * whole or not at all). For bookkeeping whose loss only costs a retry, such as upload-session
     * metadata; drivers whose writes are always durable just delegate.
     */
    default void putContentRelaxed(String path, byte[] content) throws IOException {
        putContent(path, content);
    }

    /** Opens an object for reading from {@code offset}; an offset past the end is an error. */
    InputStream reader(String path, long offset) throws IOException;

    /** Opens an append-only writer; with {@code append=false} any previous object is replaced. */
    FileWriter writer(String path, boolean append) throws IOException;

    /** Size and modification time of an object, or the fact that the path is a directory. */
    FileInfo stat(String path) throws IOException;

    /** The direct children of a directory, as full paths, sorted. */
    List<String> list(String path) throws IOException;

    /** Moves an object, replacing the destination atomically. */
    void move(String sourcePath, String destPath) throws IOException;

    /** Deletes an object or a whole directory tree. */
    void delete(String path) throws IOException;

    /**
     * Visits every object below the directory {@code path}, at any depth, with its size and
     * modification time (directories themselves are not visited); a missing directory visits
     * nothing. The order is unspecified. Garbage collection, scrub and purge walk whole trees with
     * this, so drivers that can list recursively in bulk (object stores) override it.
     */
    default void walk(String path, Consumer<FileInfo> visitor) throws IOException {
        List<String> children;
        try {
            children = list(path);
        } catch (PathNotFoundException e) {
            return;
        }
        for (String child : children) {
            FileInfo info;
            try {
                info = stat(child);
            } catch (PathNotFoundException e) {
                continue; // removed while walking
            }
            if (info.directory()) {
                walk(child, visitor);
            } else {
                visitor.accept(info);
            }
        }
    }

    /** True if the path names an object or a non-empty directory. */
    default boolean exists(String path) throws IOException {
        try {
            stat(path);
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }
}
