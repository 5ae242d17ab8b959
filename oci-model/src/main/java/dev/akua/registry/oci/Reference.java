package dev.akua.registry.oci;

/**
 * The {@code <reference>} of a manifest URL: a tag or a digest (distribution-spec "Pulling manifests":
 * "MUST be either (a) the digest of the manifest or (b) a tag").
 */
public sealed interface Reference permits Tag, Digest {

    /**
     * A value with a colon is a digest (tags cannot contain one); anything else must be a tag.
     * Invalid values are {@code DIGEST_INVALID} or {@code MANIFEST_INVALID} respectively.
     */
    static Reference parse(String value) {
        if (Digest.looksLikeDigest(value)) {
            return Digest.parse(value);
        }
        return Tag.parse(value);
    }
}
