package dev.akua.registry.extension;

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
 * The signing module's read port over the registry's own storage. It sees exactly what a client
 * pulling from the repository sees: tags and manifests of the repository, its referrers index, and
 * only blobs that are readable from it (linked, or one of its manifests), so a signature in one
 * repository can never borrow a payload stored in another.
 *
 * <p>Storage failures ({@code UNAVAILABLE}) become {@link IOException}s, as the port asks, so the
 * verifier never caches them as a verdict; absence is an empty result. Used by the signing feature
 * (verification, server-side signing) and by the publish feature (signing what it publishes).
 */
public final class StorageSignatureContent implements SignatureContent {
    private final RegistryStorage storage;

    public StorageSignatureContent(RegistryStorage storage) {
        this.storage = storage;
    }

    @Override
    public Optional<byte[]> manifest(RepositoryName repository, Reference reference) throws IOException {
        try {
            return storage.manifests().get(repository, reference).map(StoredManifest::bytes);
        } catch (OciException e) {
            if (e.code() == ErrorCode.BLOB_UNKNOWN) {
                return Optional.empty(); // recorded, but the bytes are gone (deleted or collected)
            }
            throw asIo(e);
        }
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repository, Digest subject) throws IOException {
        try {
            return storage.referrers().list(repository, subject).stream()
                    .map(r -> new Descriptor(r.mediaType(), r.digest(), r.size(), r.artifactType(), r.annotations(), null))
                    .toList();
        } catch (OciException e) {
            throw asIo(e);
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
                return Optional.empty(); // linked, but the bytes are gone (deleted or collected)
            }
            throw asIo(e);
        }
    }

    private static IOException asIo(OciException e) {
        return new IOException(e.getMessage(), e);
    }
}
