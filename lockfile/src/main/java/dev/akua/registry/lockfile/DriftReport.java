package dev.akua.registry.lockfile;

import java.util.Locale;

/** Renders a {@link LockOutcome} for people (CLI output, the {@code report} text of the API). */
public final class DriftReport {
    private DriftReport() {
    }

    public static String render(LockOutcome outcome) {
        StringBuilder out = new StringBuilder();
        int count = outcome.dependencies().size();
        switch (outcome.mode()) {
            case CHECK -> {
                if (!outcome.drift()) {
                    out.append("akua.lock is up to date (").append(count).append(count == 1 ? " package)" : " packages)").append('\n');
                } else {
                    int n = Math.max(outcome.drifts().size(), 1);
                    out.append("akua.lock is out of date: ").append(n).append(n == 1 ? " difference" : " differences")
                            .append(" (run `lock` to accept additions, `lock --update` for new versions or content)\n");
                }
            }
            case LOCK, UPDATE -> out.append(outcome.written() ? "wrote akua.lock (" : (outcome.drift() ? "resolved akua.lock (" : "akua.lock unchanged ("))
                    .append(count).append(count == 1 ? " package)" : " packages)").append('\n');
        }
        for (Drift d : outcome.drifts()) {
            out.append("  ").append(symbol(d.kind())).append(' ').append(d.name()).append(": ").append(describe(d)).append('\n');
        }
        if (outcome.mode() == LockMode.CHECK && outcome.drift() && outcome.drifts().isEmpty()) {
            out.append("  ~ the existing file is not in canonical form (entries, order or fields differ)\n");
        }
        for (DependencyReport r : outcome.dependencies()) {
            for (String note : r.notes()) {
                out.append("  ! ").append(r.name()).append(": ").append(note).append('\n');
            }
        }
        return out.toString();
    }

    private static char symbol(Drift.Kind kind) {
        return switch (kind) {
            case ADDED -> '+';
            case REMOVED -> '-';
            default -> '~';
        };
    }

    private static String describe(Drift d) {
        return switch (d.kind()) {
            case ADDED -> "new entry " + d.after();
            case REMOVED -> "no longer required (was " + d.before() + ")";
            case DIGEST_CHANGED -> "content changed under a pinned version: " + d.before() + " -> " + d.after();
            default -> d.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + d.before() + " -> " + d.after();
        };
    }
}
