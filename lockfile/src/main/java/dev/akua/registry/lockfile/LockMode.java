package dev.akua.registry.lockfile;

/** The three lock operations, as akua's {@code lock}, {@code lock --check} and {@code update} (wire contract §4.4). */
public enum LockMode {
    /**
     * Resolve and write: keep each locked version while it still satisfies its constraint, resolve
     * new or changed dependencies; content that changed under a pinned remote version is an error
     * ({@link dev.akua.registry.lockfile.error.LockException.Reason#DRIFT}), never a silent update.
     */
    LOCK,
    /** Resolve as {@link #LOCK} but write nothing; any difference from the existing lock is drift (exit code 1). */
    CHECK,
    /** Re-resolve every constraint to the newest match and accept new digests. */
    UPDATE
}
