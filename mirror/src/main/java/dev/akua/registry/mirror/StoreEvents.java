package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.manifest.PutResult;

import java.util.Map;
import java.util.Optional;

/**
 * What the mirror tells the registry after it stored something, so listeners (audit log, caches,
 * hosted indexes) see mirrored and imported content as they see a client push. Called after the
 * write; a failing listener must not fail the copy (the registry's adapter logs it).
 */
@FunctionalInterface
public interface StoreEvents {

    /** A manifest was stored ({@code result.tags()} empty) or tags were moved to it. */
    void manifestStored(RepositoryName repository, PutResult result, Map<Tag, Optional<Digest>> previousTags);

    StoreEvents NONE = (repository, result, previousTags) -> {
    };
}
