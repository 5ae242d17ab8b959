package dev.akua.registry.mirror;

import java.util.List;

/**
 * The outcome of a mirror run: one line per artifact (copied, unchanged, skipped by
 * {@code onlySigned}, failed) and the counts.
 */
public record MirrorReport(int copied, int unchanged, int skipped, List<String> failures, List<String> lines, long bytes) {
    public MirrorReport {
        failures = List.copyOf(failures);
        lines = List.copyOf(lines);
    }

    /** True when nothing failed (skips under {@code onlySigned} are not failures). */
    public boolean ok() {
        return failures.isEmpty();
    }

    public String summary() {
        return copied + " copied, " + unchanged + " unchanged, " + skipped + " skipped, " + failures.size() + " failed";
    }
}
