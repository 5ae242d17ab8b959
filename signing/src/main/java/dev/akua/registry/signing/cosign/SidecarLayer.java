package dev.akua.registry.signing.cosign;

import dev.akua.registry.oci.Digest;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One layer of a sidecar manifest: a payload (simple-signing document or DSSE envelope) and its
 * annotations. Annotations are kept sorted, the order in which Go marshals a map.
 */
public record SidecarLayer(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    public SidecarLayer {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }
}
