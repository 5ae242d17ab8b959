package dev.akua.registry.feature.publish;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.signing.SignatureContent;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.manifest.StoredManifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The signing module's read port over this registry's storage, as a pulling client sees the
 * repository: its tags and manifests, its referrers index, and only blobs readable from it.
 * Storage failures become {@link IOException}s (the port's contract); absence is empty.
 */
final class StorageContent implements SignatureContent {
    private final RegistryStorage storage;

    StorageContent(RegistryStorage storage) {
        this.storage = storage;
    }

    @Override
    public Optional<byte[]> manifest(RepositoryName repository, Reference reference) throws IOException {
        try {
            return storage.manifests().get(repository, reference).map(StoredManifest::bytes);
        } catch (OciException e) {
            if (e.code() == ErrorCode.BLOB_UNKNOWN) {
                return Optional.empty();
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repository, Digest subject) throws IOException {
        try {
            return storage.referrers().list(repository, subject).stream()
                    .map(r -> new Descriptor(r.mediaType(), r.digest(), r.size(), r.artifactType(), r.annotations(), null))
                    .toList();
        } catch (OciException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<InputStream> openBlob(RepositoryName repository, Digest digest) throws IOException {
        try {
            if (!storage.links().isReadable(repository, digest)) {
                return Optional.empty();
            }
            return Optional.of(storage.blobs().open(digest, 0));
        } catch (OciException e) {
            if (e.code() == ErrorCode.BLOB_UNKNOWN) {
                return Optional.empty();
            }
            throw new IOException(e.getMessage(), e);
        }
    }
}
