package dev.akua.registry.oci.manifest;

import dev.akua.registry.oci.Digest;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor (image-spec descriptor.md) as far as the registry needs it.
 * Unknown fields ({@code platform}, {@code data}, vendor fields) stay in the manifest's raw bytes,
 * which are what gets served; this parsed form is only used for validation and indexes.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
                         Map<String, String> annotations, List<String> urls) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null);
    }
}
