package dev.akua.registry.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the content stores.
 *
 * @param maxManifestBytes     manifests larger than this are refused with 413 (distribution-spec: at least 4 MiB must be accepted)
 * @param pointerTtl           how long a cached tag or revision may be served without re-reading storage;
 *                             the bound on how stale another replica's view can be (this process invalidates at once)
 * @param manifestCacheBytes   memory for cached manifest bytes (content-addressed, never stale)
 */
public record StorageOptions(int maxManifestBytes, Duration pointerTtl, long manifestCacheBytes) {
    public static final int DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    public StorageOptions {
        Objects.requireNonNull(pointerTtl, "pointerTtl");
        if (maxManifestBytes <= 0) {
            throw new IllegalArgumentException("maxManifestBytes must be positive");
        }
        if (pointerTtl.isNegative()) {
            throw new IllegalArgumentException("pointerTtl must not be negative");
        }
    }

    public static StorageOptions defaults() {
        return new StorageOptions(DEFAULT_MAX_MANIFEST_BYTES, Duration.ofSeconds(5), 64L * 1024 * 1024);
    }
}
