package dev.akua.registry.storage.retention;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What retention removed (or, in a dry run, would remove), and which tags only their protection kept.
 */
public record RetentionReport(boolean dryRun, Instant startedAt, Duration took, Optional<String> skipped,
                              List<TagEntry> removed, List<TagEntry> protectedKept) {
    public RetentionReport {
        removed = List.copyOf(removed);
        protectedKept = List.copyOf(protectedKept);
    }

    public record TagEntry(RepositoryName repository, Tag tag, Digest digest, Instant pushedAt) {
        @Override
        public String toString() {
            return repository + ":" + tag + " (" + digest + ", " + pushedAt + ")";
        }
    }

    public String summary() {
        if (skipped.isPresent()) {
            return "retention skipped: " + skipped.get();
        }
        return (dryRun ? "retention dry run: would remove " : "retention removed ") + removed.size() + " tag(s); "
                + protectedKept.size() + " kept only because they are protected (immutable)";
    }
}
