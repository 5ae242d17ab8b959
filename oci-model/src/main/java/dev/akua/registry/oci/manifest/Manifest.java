package dev.akua.registry.oci.manifest;

import dev.akua.registry.oci.Digest;

import java.util.Objects;

/**
 * A manifest as pushed: the exact bytes, their digest and the parsed form side by side. The digest
 * is always computed over the raw bytes.
 */
public final class Manifest {
    private final byte[] raw;
    private final Digest digest;
    private final ManifestContent content;

    public Manifest(byte[] raw, Digest digest, ManifestContent content) {
        this.raw = Objects.requireNonNull(raw, "raw");
        this.digest = Objects.requireNonNull(digest, "digest");
        this.content = Objects.requireNonNull(content, "content");
    }

    /** The exact bytes; callers must not modify the array. */
    public byte[] raw() {
        return raw;
    }

    public Digest digest() {
        return digest;
    }

    public ManifestContent content() {
        return content;
    }

    public String mediaType() {
        return content.mediaType();
    }

    public long size() {
        return raw.length;
    }
}
