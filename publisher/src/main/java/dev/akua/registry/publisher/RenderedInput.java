package dev.akua.registry.publisher;

import dev.akua.registry.oci.Digest;

import java.util.List;

/**
 * The rendered manifests of one publish request, validated, in render order.
 *
 * @param manifests      the files, ordered by their numeric {@code NNN} prefix, then by name
 * @param archiveDigest  sha256 of the uploaded tar.gz as received
 * @param archiveSize    its size in bytes
 * @param renderedDigest the digest of the manifest set, independent of how it was archived: akua's
 *                       {@code hash_dir} of the render output directory (wire contract §4.3: files
 *                       sorted by name, each contributing {@code name NUL bytes LF} to one SHA-256)
 */
public record RenderedInput(List<RenderedManifest> manifests, Digest archiveDigest, long archiveSize,
                            Digest renderedDigest) {
    public RenderedInput {
        manifests = List.copyOf(manifests);
    }
}
