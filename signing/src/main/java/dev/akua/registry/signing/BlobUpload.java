package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;

import java.util.Objects;

/**
 * A small blob the registry must store (push path: verify, CAS, link) before the manifests that
 * reference it. Uploading a blob that already exists is harmless.
 *
 * @param digest    its digest (sha256 of {@code content})
 * @param mediaType the media type of the descriptor that references it
 * @param content   the bytes; callers must not modify the array
 */
public record BlobUpload(Digest digest, String mediaType, byte[] content) {
    public BlobUpload {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
    }

    static BlobUpload of(String mediaType, byte[] content) {
        return new BlobUpload(Digest.sha256(content), mediaType, content);
    }
}
