package dev.akua.registry.helm;

import java.util.Objects;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;

/**
 * A chart archive held in the content store, as the OCI image {@code repository:tag} whose one
 * layer is the archive's exact bytes.
 *
 * @param repository the repository holding it ({@code helm/<upstream>/<chart>} or {@code <namespace>/<chart>})
 * @param tag        the tag (the chart version with {@code +} as {@code _})
 * @param layer      digest of the archive bytes (= the layer digest)
 * @param size       archive size
 * @param manifest   digest of the OCI manifest
 */
public record StoredChart(RepositoryName repository, String tag, Digest layer, long size, Digest manifest) {
    public StoredChart {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(manifest, "manifest");
    }
}
