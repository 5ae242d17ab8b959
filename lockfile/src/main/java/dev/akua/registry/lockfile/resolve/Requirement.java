package dev.akua.registry.lockfile.resolve;

import java.util.Objects;

/**
 * A dependency that a resolved package itself declares (a chart's {@code Chart.yaml}
 * {@code dependencies}), still to be resolved by the graph walk.
 *
 * @param name        chart name
 * @param constraint  version or range as written
 * @param repository  {@code https://…} Helm repository, {@code oci://…} registry path, or empty/file:// when vendored
 * @param declaredBy  {@code name@version} of the package that declares it
 */
public record Requirement(String name, String constraint, String repository, String declaredBy) {
    public Requirement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(constraint, "constraint");
        repository = repository == null ? "" : repository;
        Objects.requireNonNull(declaredBy, "declaredBy");
    }
}
