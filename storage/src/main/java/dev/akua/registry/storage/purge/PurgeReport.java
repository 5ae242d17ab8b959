package dev.akua.registry.storage.purge;

import dev.akua.registry.oci.RepositoryName;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an upload purge removed (or would remove).
 *
 * @param sessions        expired upload sessions
 * @param abandonedWrites unfinished driver-level writes discarded (S3 multipart uploads of dead processes)
 */
public record PurgeReport(boolean dryRun, Instant startedAt, Duration took, Optional<String> skipped,
                          List<Session> sessions, int abandonedWrites) {
    public PurgeReport {
        sessions = List.copyOf(sessions);
    }

    public record Session(RepositoryName repository, String id, Instant lastActivity) {
        @Override
        public String toString() {
            return repository + " upload " + id + " (last activity " + lastActivity + ")";
        }
    }

    public String summary() {
        if (skipped.isPresent()) {
            return "purge skipped: " + skipped.get();
        }
        return (dryRun ? "purge dry run: would remove " : "purge removed ") + sessions.size() + " expired upload session(s)"
                + (dryRun ? "" : " and " + abandonedWrites + " abandoned multipart write(s)");
    }
}
