package dev.akua.registry.storage.manifest;

import dev.akua.registry.oci.Digest;

import java.util.Objects;

/**
 * A manifest held by a repository: what a HEAD needs without reading the bytes.
 *
 * @param mediaType the type it was pushed as; served back as {@code Content-Type}
 * @param subject   its {@code subject} digest, or null (kept so a delete can update the referrers index)
 */
public record Revision(Digest digest, String mediaType, long size, Digest subject) {
    public Revision {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
