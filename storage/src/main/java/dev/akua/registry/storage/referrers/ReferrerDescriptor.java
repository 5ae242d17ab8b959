package dev.akua.registry.storage.referrers;

import dev.akua.registry.oci.Digest;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of a referrers-API response (distribution-spec "Listing Referrers"): the referring
 * manifest's media type, digest and size, its {@code artifactType} (or config media type) and its
 * annotations.
 */
public record ReferrerDescriptor(String mediaType, Digest digest, long size, String artifactType,
                                 Map<String, String> annotations) {
    public ReferrerDescriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
