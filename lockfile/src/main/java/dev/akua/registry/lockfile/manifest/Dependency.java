package dev.akua.registry.lockfile.manifest;

import java.util.Optional;

/**
 * One entry of {@code [dependencies]} in akua.toml. The forms are akua's (wire contract §4.1)
 * plus the Helm-repository form of the package-format seed ({@code { repo, chart, version }}).
 */
public sealed interface Dependency
        permits Dependency.Oci, Dependency.Git, Dependency.Path, Dependency.HelmRepo {

    /** The key in {@code [dependencies]}; the lock entry's name. */
    String name();

    /** A {@code replace = { path = "…" }} override (oci, git and helm-repo forms only). */
    Optional<String> replacePath();

    /**
     * {@code name = { oci = "oci://host/repo", version = "1.2.3" }}: the version is an exact tag, or
     * a semver range resolved against the repository's tags.
     *
     * @param name    dependency name
     * @param ref     {@code oci://host[:port]/repository}, no tag
     * @param version tag or range
     * @param replace replacement path, or null
     */
    record Oci(String name, String ref, String version, String replace) implements Dependency {
        @Override
        public Optional<String> replacePath() {
            return Optional.ofNullable(replace);
        }
    }

    /**
     * {@code name = { git = "https://…", tag = "v1" }} or {@code rev = "<40 hex>"}; the tag wins if
     * both are set (akua).
     *
     * @param name    dependency name
     * @param url     repository URL (https or file)
     * @param tag     tag, or null
     * @param rev     full commit id, or null
     * @param replace replacement path, or null
     */
    record Git(String name, String url, String tag, String rev, String replace) implements Dependency {
        @Override
        public Optional<String> replacePath() {
            return Optional.ofNullable(replace);
        }

        /** The ref written into the lock: the tag if set, else the rev. */
        public String ref() {
            return tag != null ? tag : rev;
        }
    }

    /**
     * {@code name = { path = "./vendor/x" }}: a directory inside the workspace.
     *
     * @param name dependency name
     * @param path the declared path, relative to the workspace
     */
    record Path(String name, String path) implements Dependency {
        @Override
        public Optional<String> replacePath() {
            return Optional.empty();
        }
    }

    /**
     * {@code name = { repo = "https://charts.example/stable", chart = "nginx", version = "^15" }}: a
     * chart from a classic Helm repository (index.yaml); the version is exact or a semver range.
     *
     * @param name    dependency name
     * @param repo    repository base URL (http or https)
     * @param chart   chart name in the index
     * @param version exact version or range
     * @param replace replacement path, or null
     */
    record HelmRepo(String name, String repo, String chart, String version, String replace) implements Dependency {
        @Override
        public Optional<String> replacePath() {
            return Optional.ofNullable(replace);
        }
    }
}
