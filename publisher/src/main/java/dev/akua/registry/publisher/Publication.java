package dev.akua.registry.publisher;

import dev.akua.registry.oci.Tag;
import dev.akua.registry.signing.BlobUpload;
import dev.akua.registry.signing.ManifestUpload;

import java.util.List;
import java.util.Objects;

/**
 * What a publish request turns into, before anything is stored: blobs to push first, then one
 * manifest to push under the version tag. Built entirely in memory from a bounded input, so a
 * refused request leaves nothing behind.
 *
 * @param request      the request
 * @param input        the validated rendered manifests
 * @param blobs        config and layer blobs (each once, even when two files have the same bytes)
 * @param manifest     the artifact manifest, tagged with {@link PublishRequest#tag()}
 * @param artifactType what the referrers API reports for it ({@code artifactType}, else the config media type)
 */
public record Publication(PublishRequest request, RenderedInput input, List<BlobUpload> blobs, ManifestUpload manifest,
                          String artifactType) {
    public Publication {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(artifactType, "artifactType");
        blobs = List.copyOf(blobs);
    }

    public Tag tag() {
        return manifest.tag();
    }
}
