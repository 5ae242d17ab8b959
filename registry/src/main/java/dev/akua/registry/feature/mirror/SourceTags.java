package dev.akua.registry.feature.mirror;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.PullThrough;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.util.List;
import java.util.Optional;

/** The tags a pull-through source knows for a repository beyond what is stored ({@link PullThrough#tags}), when it can list them. */
final class SourceTags {
    private SourceTags() {
    }

    static Optional<List<Tag>> of(PullThrough source, Caller caller, RepositoryName repository) {
        try {
            return source.tags(caller, repository);
        } catch (RuntimeException e) {
            return Optional.empty(); // the source cannot be asked now; the stored tags are exported
        }
    }
}
