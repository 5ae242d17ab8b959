package dev.akua.registry.extension;

import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.storage.manifest.Revision;

import java.util.function.Supplier;

/**
 * Runs before a manifest GET or HEAD is answered (e.g. signature policy {@code enforce: pull}).
 * Refuses by throwing an {@code OciException} (403 {@code DENIED} with the reason).
 */
@FunctionalInterface
public interface ManifestPullCheck {
    void check(Caller caller, RepositoryName repository, Reference requested, Revision revision, Supplier<byte[]> bytes);
}
