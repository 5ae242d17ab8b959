package dev.akua.registry.extension;

import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.ManifestContent;

/**
 * Runs after a pushed manifest parsed and its references were found, before anything is stored
 * (e.g. akua package validation). Refuses by throwing an {@code OciException}; nothing is kept then.
 */
@FunctionalInterface
public interface ManifestPushCheck {
    void check(Caller caller, RepositoryName repository, Reference reference, ManifestContent content, byte[] raw);
}
