package dev.akua.registry.lockfile.resolve;

import java.util.List;
import java.util.Objects;

import dev.akua.registry.lockfile.lock.LockedPackage;

/**
 * What a resolver produced for one dependency: the lock entry (without graph edges), the
 * dependencies the package itself declares, and notes for people (e.g. a digest computed because
 * the index had none).
 *
 * @param entry        the lock entry
 * @param requirements declared dependencies still to resolve
 * @param notes        warnings to show in the report
 */
public record Resolved(LockedPackage entry, List<Requirement> requirements, List<String> notes) {
    public Resolved {
        Objects.requireNonNull(entry, "entry");
        requirements = List.copyOf(requirements);
        notes = List.copyOf(notes);
    }

    public static Resolved of(LockedPackage entry) {
        return new Resolved(entry, List.of(), List.of());
    }
}
