package dev.akua.registry.storage.gc;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a collector run removed (or, in a dry run, would remove).
 *
 * @param skipped        why nothing was done (another replica holds the lease), if so
 * @param manifests      manifests moved to the trash (untagged per policy, orphaned referrers)
 * @param sidecarTags    cosign-style sidecar tags ({@code sha256-<hex>.sig|.att|.sbom}) whose subject is gone
 * @param blobs          blobs moved to the trash
 * @param blobBytes      their total size
 * @param restored       objects put back because something present referenced them again
 * @param purgedBatches  trash batches deleted for good (older than the grace period)
 */
public record GcReport(boolean dryRun, Instant startedAt, Duration took, Optional<String> skipped,
                       List<ManifestRef> manifests, List<TagRef> sidecarTags, List<Digest> blobs, long blobBytes,
                       int restored, int purgedBatches) {
    public GcReport {
        manifests = List.copyOf(manifests);
        sidecarTags = List.copyOf(sidecarTags);
        blobs = List.copyOf(blobs);
    }

    public record ManifestRef(RepositoryName repository, Digest digest) {
        @Override
        public String toString() {
            return repository + "@" + digest;
        }
    }

    public record TagRef(RepositoryName repository, Tag tag) {
        @Override
        public String toString() {
            return repository + ":" + tag;
        }
    }

    static GcReport skipped(Instant startedAt, Duration took, boolean dryRun, String why) {
        return new GcReport(dryRun, startedAt, took, Optional.of(why), List.of(), List.of(), List.of(), 0, 0, 0);
    }

    /** One line for logs and the CLI. */
    public String summary() {
        if (skipped.isPresent()) {
            return "gc skipped: " + skipped.get();
        }
        return (dryRun ? "gc dry run: would remove " : "gc removed ") + manifests.size() + " manifest(s), "
                + sidecarTags.size() + " sidecar tag(s), " + blobs.size() + " blob(s) (" + blobBytes + " bytes)"
                + (dryRun ? "" : "; restored " + restored + ", purged " + purgedBatches + " trash batch(es)")
                + " in " + took.toMillis() + " ms";
    }
}
