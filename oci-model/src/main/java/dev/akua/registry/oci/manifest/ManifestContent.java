package dev.akua.registry.oci.manifest;

import dev.akua.registry.oci.MediaTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parsed, validated form of a manifest. Never re-serialised: the registry stores and serves
 * the client's raw bytes (distribution-spec "Pushing Manifests": "MUST store the manifest in the
 * exact byte representation provided by the client").
 *
 * @param mediaType    effective media type (the {@code mediaType} field, else the request's Content-Type)
 * @param kind         image manifest or index
 * @param artifactType the {@code artifactType} field, or null
 * @param config       the config descriptor (image manifests only), or null
 * @param layers       layer descriptors (image manifests), empty for indexes
 * @param manifests    child manifest descriptors (indexes), empty for image manifests
 * @param subject      the {@code subject} descriptor, or null
 * @param annotations  top-level annotations
 */
public record ManifestContent(String mediaType, ManifestKind kind, String artifactType, Descriptor config,
                              List<Descriptor> layers, List<Descriptor> manifests, Descriptor subject,
                              Map<String, String> annotations) {
    public ManifestContent {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(kind, "kind");
        layers = layers == null ? List.of() : List.copyOf(layers);
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /**
     * Blobs that must exist in the repository before this manifest is accepted: the config and
     * every layer, except non-distributable/foreign layers, which by definition are not pushed.
     */
    public List<Descriptor> requiredBlobs() {
        List<Descriptor> out = new ArrayList<>(layers.size() + 1);
        if (config != null) {
            out.add(config);
        }
        for (Descriptor layer : layers) {
            if (!MediaTypes.isNonDistributableLayer(layer.mediaType())) {
                out.add(layer);
            }
        }
        return out;
    }

    /**
     * The {@code artifactType} a referrers-API descriptor of this manifest carries
     * (distribution-spec "Listing Referrers"): the manifest's own {@code artifactType}; for an
     * image manifest without one, the config media type; for an index without one, none.
     */
    public String referrerArtifactType() {
        if (artifactType != null && !artifactType.isEmpty()) {
            return artifactType;
        }
        if (kind == ManifestKind.IMAGE && config != null) {
            return config.mediaType();
        }
        return null;
    }
}
