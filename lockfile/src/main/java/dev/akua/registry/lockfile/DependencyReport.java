package dev.akua.registry.lockfile;

import java.util.List;
import java.util.Objects;

/**
 * The per-dependency part of a lock outcome (the JSON report of {@code POST /api/v1/lock}).
 *
 * @param name         lock entry name
 * @param version      resolved version
 * @param source       lock source string
 * @param digest       pinned digest
 * @param signature    signature evidence written to the lock, or null
 * @param direct       true for akua.toml dependencies, false for transitive ones
 * @param requiredBy   {@code name@version} of the packages that declare it (empty for direct ones)
 * @param dependencies its own edges, {@code name@version}
 * @param notes        warnings (e.g. a digest the index did not publish)
 */
public record DependencyReport(String name,
                               String version,
                               String source,
                               String digest,
                               String signature,
                               boolean direct,
                               List<String> requiredBy,
                               List<String> dependencies,
                               List<String> notes) {
    public DependencyReport {
        Objects.requireNonNull(name, "name");
        requiredBy = List.copyOf(requiredBy);
        dependencies = List.copyOf(dependencies);
        notes = List.copyOf(notes);
    }
}
