package dev.akua.registry.mirror;

import java.time.Duration;

/**
 * Caps on everything an upstream or an archive controls (ARCHITECTURE.md rule 4).
 *
 * @param maxBlobBytes          largest blob fetched or imported
 * @param maxTags               tags listed per upstream repository
 * @param maxRepositories       repositories listed from an upstream catalog, or exported/imported at once
 * @param maxReferrers          referrers followed per manifest
 * @param maxDepth              nesting of indexes and referrers-of-referrers followed
 * @param upstreamRetryAfter    after an upstream failed to answer, how long pulls use the cache without asking it again
 * @param maxArchiveEntries     entries read from an archive
 */
public record MirrorLimits(long maxBlobBytes, int maxTags, int maxRepositories, int maxReferrers, int maxDepth,
                           Duration upstreamRetryAfter, int maxArchiveEntries) {
    public MirrorLimits {
        if (maxBlobBytes <= 0 || maxTags <= 0 || maxRepositories <= 0 || maxReferrers < 0 || maxDepth < 1 || maxArchiveEntries <= 0) {
            throw new IllegalArgumentException("mirror limits must be positive");
        }
        if (upstreamRetryAfter == null || upstreamRetryAfter.isNegative()) {
            throw new IllegalArgumentException("upstreamRetryAfter must not be negative");
        }
    }

    /** 16 GiB blobs, 10 000 tags and repositories, 100 referrers, depth 4, 30 s backoff, 1 000 000 archive entries. */
    public static MirrorLimits defaults() {
        return new MirrorLimits(16L << 30, 10_000, 10_000, 100, 4, Duration.ofSeconds(30), 1_000_000);
    }

    public MirrorLimits withMaxBlobBytes(long value) {
        return new MirrorLimits(value, maxTags, maxRepositories, maxReferrers, maxDepth, upstreamRetryAfter, maxArchiveEntries);
    }

    public MirrorLimits withUpstreamRetryAfter(Duration value) {
        return new MirrorLimits(maxBlobBytes, maxTags, maxRepositories, maxReferrers, maxDepth, value, maxArchiveEntries);
    }
}
