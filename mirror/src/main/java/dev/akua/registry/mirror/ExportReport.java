package dev.akua.registry.mirror;

import java.nio.file.Path;
import java.util.List;

/** What an export wrote: the archive, its tagged artifacts, manifests, blobs and bytes, and one line per artifact. */
public record ExportReport(Path archive, int artifacts, int manifests, int blobs, long bytes, List<String> lines) {
    public ExportReport {
        lines = List.copyOf(lines);
    }
}
