package dev.akua.registry.conformance;

import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * For test gates that only decide authentication and feature rights: every per-object rule (mount
 * source, catalog, tag writes and deletes, manifest deletes) allows, as {@link AccessGate#OPEN} does.
 * Kept out of {@code AccessGate} itself, where a permissive default would let a real gate forget a rule.
 */
interface AllowingObjectRules extends AccessGate {
    @Override
    default boolean mayPull(Caller caller, RepositoryName repository) {
        return true;
    }

    @Override
    default Predicate<RepositoryName> catalogFilter(Caller caller) {
        return r -> true;
    }

    @Override
    default void checkTagWrite(Caller caller, RepositoryName repository, Tag tag, Optional<Digest> current, Digest next) {
    }

    @Override
    default void checkTagDelete(Caller caller, RepositoryName repository, Tag tag, Digest current) {
    }

    @Override
    default void checkManifestDelete(Caller caller, RepositoryName repository, Digest digest, List<Tag> tagsPointingAtIt) {
    }
}
