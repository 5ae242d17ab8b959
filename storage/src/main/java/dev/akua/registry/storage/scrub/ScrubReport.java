package dev.akua.registry.storage.scrub;

import dev.akua.registry.oci.Digest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a scrub found.
 *
 * @param corrupt blobs whose bytes do not hash to their digest (moved to quarantine unless a dry run)
 */
public record ScrubReport(boolean dryRun, Instant startedAt, Duration took, Optional<String> skipped, long blobsChecked,
                          long bytesChecked, List<Corrupt> corrupt) {
    public ScrubReport {
        corrupt = List.copyOf(corrupt);
    }

    /**
     * @param actual        what the bytes hash to
     * @param quarantinedAt where the bytes were moved, or null in a dry run
     */
    public record Corrupt(Digest digest, Digest actual, long size, String quarantinedAt) {
        @Override
        public String toString() {
            return digest + " hashes to " + actual + " (" + size + " bytes)" + (quarantinedAt == null ? "" : ", quarantined at " + quarantinedAt);
        }
    }

    public String summary() {
        if (skipped.isPresent()) {
            return "scrub skipped: " + skipped.get();
        }
        return "scrub checked " + blobsChecked + " blob(s), " + bytesChecked + " bytes: " + corrupt.size() + " corrupt"
                + (corrupt.isEmpty() ? "" : dryRun ? " (dry run: left in place)" : " (quarantined; a re-push repairs them)");
    }
}
