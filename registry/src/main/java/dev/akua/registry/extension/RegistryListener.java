package dev.akua.registry.extension;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.manifest.PutResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Events after a change was stored (audit log, hosted Helm index, caches). Called on the request's
 * thread after the response is decided; a listener that fails is logged and does not fail the request.
 */
public interface RegistryListener {

    /**
     * @param previousTags each tag the push set, with the digest it pointed at before (empty if new)
     */
    default void manifestPushed(Caller caller, RepositoryName repository, PutResult result,
                                Map<Tag, Optional<Digest>> previousTags) {
    }

    default void manifestDeleted(Caller caller, RepositoryName repository, Digest digest, List<Tag> tags) {
    }

    default void tagDeleted(Caller caller, RepositoryName repository, Tag tag, Digest digest) {
    }

    default void blobPushed(Caller caller, RepositoryName repository, Digest digest) {
    }

    default void blobDeleted(Caller caller, RepositoryName repository, Digest digest) {
    }
}
