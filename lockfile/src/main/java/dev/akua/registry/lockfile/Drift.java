package dev.akua.registry.lockfile;

import java.util.Objects;

/**
 * One difference between the existing akua.lock and the freshly resolved one.
 *
 * @param name   the lock entry's name
 * @param kind   what differs
 * @param before the old value (null for {@link Kind#ADDED})
 * @param after  the new value (null for {@link Kind#REMOVED})
 */
public record Drift(String name, Kind kind, String before, String after) {
    /** What differs. */
    public enum Kind {
        /** Not in the existing lock. */
        ADDED,
        /** In the existing lock but no longer required. */
        REMOVED,
        /** Another source (registry, repository, URL). */
        SOURCE_CHANGED,
        /** Another version (a constraint no longer satisfied by the locked one, or an update). */
        VERSION_CHANGED,
        /** The same version now has other content: a moved tag, a re-published chart, a moved git tag. */
        DIGEST_CHANGED,
        /** The signature evidence changed. */
        SIGNATURE_CHANGED,
        /** The transitive edges changed. */
        DEPENDENCIES_CHANGED,
        /** Something else in the entry (a field written by hand, formatting of the file). */
        OTHER
    }

    public Drift {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
