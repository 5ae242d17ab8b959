package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Tag;

import java.util.Objects;

/**
 * A manifest the registry must store, byte-exact, after the blobs of the same result.
 *
 * @param digest    sha256 of {@code content}
 * @param mediaType its media type (the Content-Type of the PUT)
 * @param content   the exact bytes; callers must not modify the array
 * @param tag       the tag to point at it ({@code sha256-<hex>.sig}/{@code .att}), or null to store it by digest only
 */
public record ManifestUpload(Digest digest, String mediaType, byte[] content, Tag tag) {
    public ManifestUpload {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
    }

    static ManifestUpload of(String mediaType, byte[] content, Tag tag) {
        return new ManifestUpload(Digest.sha256(content), mediaType, content, tag);
    }
}
