package dev.akua.registry.publisher;

import java.util.List;
import java.util.Objects;

/**
 * What an akua package says about itself in its {@code akua.toml} (wire contract §4.1), kept for the
 * API and UI ({@code GET /api/v1/repositories/<name>/packages/<tag>}).
 *
 * @param name         {@code [package].name}
 * @param version      {@code [package].version}
 * @param edition      {@code [package].edition}
 * @param dependencies {@code [dependencies]}, sorted by name
 */
public record PackageMetadata(String name, String version, String edition, List<Dependency> dependencies) {
    public PackageMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(edition, "edition");
        dependencies = List.copyOf(dependencies);
    }

    /**
     * One declared dependency.
     *
     * @param name    the key in {@code [dependencies]}
     * @param kind    {@code oci}, {@code git}, {@code path} or {@code repo} (a classic Helm repository)
     * @param source  the value of that key (the oci ref, git URL, path or repository URL)
     * @param version the version, tag or rev it is pinned to (null for path dependencies)
     * @param chart   the chart name of a {@code repo} dependency, else null
     */
    public record Dependency(String name, String kind, String source, String version, String chart) {
        public Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(source, "source");
        }
    }
}
