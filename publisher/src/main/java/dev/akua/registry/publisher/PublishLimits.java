package dev.akua.registry.publisher;

import dev.akua.registry.publisher.archive.ArchiveLimits;

/**
 * Caps on one publish request, all enforced while reading.
 *
 * @param archive      limits on the uploaded tar.gz (compressed size, unpacked size, per file, entries)
 * @param maxManifests most manifest files
 * @param maxYamlDepth deepest YAML nesting accepted in a manifest
 */
public record PublishLimits(ArchiveLimits archive, int maxManifests, int maxYamlDepth) {
    public PublishLimits {
        java.util.Objects.requireNonNull(archive, "archive");
        if (maxManifests < 1) {
            throw new IllegalArgumentException("maxManifests must be positive");
        }
        if (maxYamlDepth < 4) {
            throw new IllegalArgumentException("maxYamlDepth must be at least 4");
        }
    }

    /** 64 MiB upload, 64 MiB unpacked, 4 MiB a file, 2000 entries and manifests, nesting 100. */
    public static PublishLimits defaults() {
        return new PublishLimits(new ArchiveLimits(64L << 20, 64L << 20, 4L << 20, 2000), 2000, 100);
    }
}
