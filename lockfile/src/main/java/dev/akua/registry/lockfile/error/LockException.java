package dev.akua.registry.lockfile.error;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a lock operation failed, naming the dependency when one is at fault. The message is meant
 * for people (CLI output, the {@code error.message} of the HTTP API); {@link #reason()} is stable
 * for machines.
 */
public final class LockException extends Exception {
    /** Stable failure reasons; the HTTP API exposes their names. */
    public enum Reason {
        /** akua.toml is missing, unreadable TOML, or breaks a rule of akua's manifest (wire contract §4.1). */
        MANIFEST_INVALID(1),
        /** akua.lock is unreadable TOML or breaks a rule of akua's lock format (§4.2). */
        LOCK_INVALID(1),
        /** No version of the dependency satisfies its constraint, or the named tag/ref/chart does not exist. */
        NOT_FOUND(1),
        /** Two versions of one name are required across the graph and no {@code replace} settles it. */
        VERSION_CONFLICT(1),
        /** Content does not match the digest published for it (index.yaml digest, manifest descriptor). */
        DIGEST_MISMATCH(1),
        /** The content changed under a pinned version (a moved tag, a re-published chart); never updated silently. */
        DRIFT(1),
        /** strict_signing and the dependency is unsigned, or its signature does not verify. */
        SIGNATURE_REQUIRED(1),
        /** The dependency's source is not supported (e.g. a repository form or URL scheme). */
        UNSUPPORTED_SOURCE(1),
        /** Remote content broke a rule of its format (YAML bombs, duplicate keys, oversize, bad manifest). */
        REMOTE_CONTENT_INVALID(1),
        /**
         * The dependency's registry refused the read (401/403): the credentials used (the caller's,
         * for the registry running the resolution; none elsewhere) may not pull it.
         */
        ACCESS_DENIED(1),
        /** The remote refused or failed: 404/429/5xx, timeout, truncation, refused address. Fail closed. */
        REMOTE_FAILED(2),
        /** Local I/O failed (workspace unreadable, path dependency missing). */
        IO(2);

        private final int exitCode;

        Reason(int exitCode) {
            this.exitCode = exitCode;
        }

        /** akua's CLI convention: 1 = user error (fix the input), 2 = system error (retry later). */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Reason reason;
    private final String dependency;

    public LockException(Reason reason, String dependency, String message) {
        this(reason, dependency, message, null);
    }

    public LockException(Reason reason, String dependency, String message, Throwable cause) {
        super(dependency == null ? message : "dependency `" + dependency + "`: " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.dependency = dependency;
    }

    public Reason reason() {
        return reason;
    }

    /** The dependency at fault (its akua.toml name, or the chart name of a transitive one). */
    public Optional<String> dependency() {
        return Optional.ofNullable(dependency);
    }

    /** The same failure attributed to a dependency (for errors raised below the resolver). */
    public LockException forDependency(String name) {
        return dependency != null ? this : new LockException(reason, name, getMessage(), getCause());
    }
}
