package dev.akua.registry.mirror;

import java.util.List;

/**
 * What an import did: tagged artifacts made visible, manifests stored, blobs read from the archive
 * and blobs the registry already held (not read again), bytes read, artifacts left out under
 * {@link ImportOptions.SignatureMode#SKIP_UNSIGNED}, and one line per artifact.
 */
public record ImportReport(int artifacts, int manifests, int blobsStored, int blobsPresent, long bytes,
                           List<String> skipped, List<String> lines) {
    public ImportReport {
        skipped = List.copyOf(skipped);
        lines = List.copyOf(lines);
    }
}
