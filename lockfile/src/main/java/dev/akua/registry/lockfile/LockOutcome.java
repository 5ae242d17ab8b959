package dev.akua.registry.lockfile;

import java.util.List;
import java.util.Objects;

/**
 * The result of a lock operation.
 *
 * @param mode         the operation
 * @param lockText     the canonical akua.lock text the resolution produced (what LOCK/UPDATE write)
 * @param priorText    the canonical text of the existing lock (empty-lock text if there was none)
 * @param dependencies per-dependency report, in lock order
 * @param drifts       differences from the existing lock (for CHECK: the reasons for failing)
 * @param written      true if akua.lock was written to a workspace by this operation
 */
public record LockOutcome(LockMode mode,
                          String lockText,
                          String priorText,
                          List<DependencyReport> dependencies,
                          List<Drift> drifts,
                          boolean written) {
    public LockOutcome {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(lockText, "lockText");
        Objects.requireNonNull(priorText, "priorText");
        dependencies = List.copyOf(dependencies);
        drifts = List.copyOf(drifts);
    }

    /** akua's comparison for {@code lock --check}: the canonical texts differ (§4.4). */
    public boolean drift() {
        return !lockText.equals(priorText);
    }

    /** For a CLI: 0 on success, 1 when CHECK found drift (akua's E_LOCK_DRIFT is a user error). */
    public int exitCode() {
        return mode == LockMode.CHECK && drift() ? 1 : 0;
    }

    LockOutcome asWritten() {
        return new LockOutcome(mode, lockText, priorText, dependencies, drifts, true);
    }
}
