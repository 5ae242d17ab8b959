package dev.akua.registry.storage.retention;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Which tags of the matching repositories to keep; every other tag is removed. A tag is kept if
 * any criterion keeps it. Cosign-style sidecar tags ({@code sha256-<hex>.sig|.att|.sbom}) are not
 * counted: they follow their subject, and the collector removes them once it is gone.
 *
 * @param repositories  the repositories the rule covers (the most specific rule decides)
 * @param keepLast      keep the N most recently pushed tags
 * @param keepNewerThan keep tags pushed (or moved) within this duration
 * @param keepMatching  keep tags whose whole name matches this regular expression
 */
public record RetentionRule(RepositoryGlob repositories, OptionalInt keepLast, Optional<Duration> keepNewerThan,
                            Optional<Pattern> keepMatching) {
    public RetentionRule {
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(keepLast, "keepLast");
        Objects.requireNonNull(keepNewerThan, "keepNewerThan");
        Objects.requireNonNull(keepMatching, "keepMatching");
        if (keepLast.isEmpty() && keepNewerThan.isEmpty() && keepMatching.isEmpty()) {
            throw new IllegalArgumentException("retention rule for '" + repositories
                    + "' keeps nothing: give keepLast, keepNewerThan or keepMatching");
        }
        if (keepLast.isPresent() && keepLast.getAsInt() < 0) {
            throw new IllegalArgumentException("retention rule for '" + repositories + "': keepLast must not be negative");
        }
        if (keepNewerThan.isPresent() && keepNewerThan.get().isNegative()) {
            throw new IllegalArgumentException("retention rule for '" + repositories + "': keepNewerThan must not be negative");
        }
    }
}
