package dev.akua.registry.storage.blob;

import dev.akua.registry.oci.Digest;

import java.util.Objects;

/** A blob present in the content store. */
public record BlobInfo(Digest digest, long size) {
    public BlobInfo {
        Objects.requireNonNull(digest, "digest");
    }
}
