package dev.akua.registry.storage.retention;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

/**
 * Which tags retention must never remove. The registry's immutable-tag rule (auth module) is one;
 * rules configured for retention itself are another. The registry wires them together; storage only
 * asks.
 */
@FunctionalInterface
public interface TagProtection {
    boolean isProtected(RepositoryName repository, Tag tag);

    TagProtection NONE = (repository, tag) -> false;

    default TagProtection or(TagProtection other) {
        return (repository, tag) -> isProtected(repository, tag) || other.isProtected(repository, tag);
    }
}
