package dev.akua.registry.storage.driver;

/**
 * Capability of drivers that store appended data most efficiently in pieces of a minimum size
 * (object-store multipart parts are at least 5 MiB). The registry advertises it to clients as
 * {@code OCI-Chunk-Min-Length} on the upload POST (distribution-spec "Pushing a blob in chunks");
 * smaller chunks still work, they only cost more at completion.
 */
public interface ChunkSizeHint {
    /** The smallest chunk, in bytes, clients should send (except the last one). */
    long minimumChunkBytes();
}
