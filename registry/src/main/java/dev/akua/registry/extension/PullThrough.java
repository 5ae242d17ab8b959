package dev.akua.registry.extension;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Optional;

/**
 * A source of content beyond local storage for some repositories (a pull-through cache of an
 * upstream registry). Consulted by manifest and blob GET/HEAD for repositories it {@link #handles}.
 */
public interface PullThrough {

    boolean handles(RepositoryName repository);

    /**
     * Makes the manifest available locally (fetching it, or revalidating a cached tag) before the
     * registry serves it from storage. Returns without effect when upstream is unreachable and
     * local content exists, or when the reference is unknown everywhere.
     */
    void prepareManifest(Caller caller, RepositoryName repository, Reference reference);

    /**
     * Serves a blob that is not stored locally, streaming it to the client while it is stored.
     *
     * @return true if the response was written; false to let the registry answer from storage (or 404)
     */
    boolean serveMissingBlob(Caller caller, RepositoryName repository, Digest digest, ServerRequest req, ServerResponse res);

    /**
     * The tags {@code tags/list} lists for a repository whose tags live at the source (e.g. the
     * versions of an upstream Helm index, most of them not fetched yet). Empty means "ask storage",
     * which is also the default; the registry sorts and pages whatever is returned.
     */
    default Optional<List<Tag>> tags(Caller caller, RepositoryName repository) {
        return Optional.empty();
    }
}
