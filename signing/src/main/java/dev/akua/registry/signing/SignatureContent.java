package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.Descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The port through which signing code reads a repository's content. The registry's composition
 * root implements it over its storage; tests use an in-memory fake.
 *
 * <p>Everything returned is treated as hostile: manifest bytes are re-digested and parsed with
 * bounds, blobs are read only up to the caps of {@link VerificationLimits} and checked against their
 * digest. An {@link IOException} means the backend failed (the registry answers 503); absence is an
 * empty result, never an exception.
 */
public interface SignatureContent {

    /**
     * The exact bytes of the manifest {@code reference} (a tag such as {@code sha256-<hex>.sig}, or
     * a digest) names in {@code repository}, or empty when there is none. Implementations may
     * refuse manifests above their own cap (the registry's 4 MiB) by returning empty.
     */
    Optional<byte[]> manifest(RepositoryName repository, Reference reference) throws IOException;

    /**
     * Descriptors of the manifests in {@code repository} whose {@code subject} is {@code subject}
     * (the referrers index: mediaType, digest, size, artifactType, annotations), in any order.
     */
    List<Descriptor> referrers(RepositoryName repository, Digest subject) throws IOException;

    /** Opens the blob {@code digest} of {@code repository}, or empty when it is not there. The caller closes the stream. */
    Optional<InputStream> openBlob(RepositoryName repository, Digest digest) throws IOException;
}
