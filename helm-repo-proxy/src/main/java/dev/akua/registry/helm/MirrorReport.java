package dev.akua.registry.helm;

import java.util.List;

/**
 * What a mirroring run did.
 *
 * @param fetched  chart versions fetched from upstreams and stored now
 * @param present  chart versions that were already stored (and still match their index digest)
 * @param failures one line per version or rule that failed (upstream down, digest mismatch, refused chart…)
 */
public record MirrorReport(int fetched, int present, List<String> failures) {
    public MirrorReport {
        failures = List.copyOf(failures);
    }

    public boolean ok() {
        return failures.isEmpty();
    }
}
