package dev.akua.registry.storage.gc;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the garbage collector.
 *
 * @param grace       nothing younger than this is collected: blobs uploaded whose manifest is not
 *                    pushed yet, fresh manifests, fresh sidecar tags, upload sessions; also how long
 *                    collected objects stay restorable in the trash. It bounds how long a client may
 *                    take between learning that a blob exists (upload, HEAD, mount) and pushing the
 *                    manifest that references it.
 * @param untagged    what happens to manifests no tag reaches
 */
public record GcOptions(Duration grace, UntaggedPolicy untagged) {
    public GcOptions {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(untagged, "untagged");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("gc grace period must not be negative");
        }
    }

    public static GcOptions defaults() {
        return new GcOptions(Duration.ofHours(1), UntaggedPolicy.KEEP);
    }
}
