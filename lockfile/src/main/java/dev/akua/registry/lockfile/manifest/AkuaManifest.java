package dev.akua.registry.lockfile.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed akua.toml (wire contract §4.1): the {@code [package]} section, the optional
 * {@code [signing]} section and the dependencies in name order (akua keeps them in a BTreeMap).
 *
 * @param name             {@code [package].name}
 * @param version          {@code [package].version}
 * @param edition          {@code [package].edition}
 * @param strictSigning    {@code [package].strict_signing}, default true
 * @param cosignPublicKey  {@code [signing].cosign_public_key} (relative to the workspace), or null
 * @param dependencies     dependencies sorted by name
 */
public record AkuaManifest(String name,
                           String version,
                           String edition,
                           boolean strictSigning,
                           String cosignPublicKey,
                           List<Dependency> dependencies) {
    public AkuaManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(edition, "edition");
        dependencies = List.copyOf(dependencies);
    }

    public Optional<String> cosignPublicKeyPath() {
        return Optional.ofNullable(cosignPublicKey);
    }

    public Optional<Dependency> dependency(String depName) {
        return dependencies.stream().filter(d -> d.name().equals(depName)).findFirst();
    }
}
