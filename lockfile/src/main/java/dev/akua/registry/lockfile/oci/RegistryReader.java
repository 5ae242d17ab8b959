package dev.akua.registry.lockfile.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Manifest;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.oci.BlobResponse;
import dev.akua.registry.remote.oci.ManifestResponse;
import dev.akua.registry.remote.oci.RegistryClient;
import dev.akua.registry.remote.oci.RegistryLogin;

/**
 * One OCI repository as lock resolution reads it: parsed manifests (digest computed over the bytes
 * as served), the tag list and digest-verified blobs. The registry protocol itself (4 MiB manifest
 * cap, pagination, the anonymous bearer-token exchange registries such as ghcr.io require) is the
 * shared {@link RegistryClient} of the remote module, the same client the mirror uses.
 */
final class RegistryReader {
    static final int MAX_TAGS = 10_000;

    private final RegistryClient client;
    private final OciRef ref;
    private final ManifestParser manifests = new ManifestParser();

    RegistryReader(RemoteClient remote, OciRef ref, RegistryLogin login) {
        this.client = RegistryClient.create(remote, URI.create(ref.scheme() + "://" + ref.registry()), login);
        this.ref = ref;
    }

    /** The manifest under a tag or digest; null when the registry answers 404. */
    Manifest manifest(String reference) throws IOException {
        Optional<ManifestResponse> response = client.manifest(ref.repository(), reference);
        if (response.isEmpty()) {
            return null;
        }
        byte[] raw = response.get().bytes();
        Digest digest = Digest.of(DigestAlgorithm.SHA256, raw);
        try {
            return new Manifest(raw, digest, manifests.parse(raw, response.get().mediaType()));
        } catch (OciException e) {
            throw new IOException("manifest " + ref.dockerReference() + ":" + reference + " is invalid: " + e.getMessage(), e);
        }
    }

    /** All tags, following {@code Link} pagination, at most {@link #MAX_TAGS}. */
    List<String> tags() throws IOException {
        return client.tags(ref.repository(), MAX_TAGS);
    }

    /**
     * A blob, verified against {@code digest} at EOF (a mismatch is a
     * {@link dev.akua.registry.remote.oci.DigestMismatchException}); the caller reads it to the end and closes it.
     */
    InputStream blob(Digest digest, long maxBytes) throws IOException {
        BlobResponse response = client.blob(ref.repository(), digest.toString(), maxBytes).orElseThrow(() ->
                new IOException(ref.dockerReference() + " has no blob " + digest + " although a manifest references it"));
        return new java.io.FilterInputStream(response.body()) {
            @Override
            public void close() {
                response.close();
            }
        };
    }

    /**
     * Descriptors of the manifests whose {@code subject} is {@code digest} (OCI 1.1 referrers API);
     * empty when the registry does not offer the API.
     */
    List<dev.akua.registry.oci.manifest.Descriptor> referrers(Digest digest) throws IOException {
        Optional<byte[]> index = client.referrers(ref.repository(), digest.toString());
        if (index.isEmpty()) {
            return List.of();
        }
        try {
            return manifests.parse(index.get(), "application/vnd.oci.image.index.v1+json").manifests();
        } catch (OciException e) {
            throw new IOException("the referrers index of " + ref.dockerReference() + "@" + digest + " is invalid: " + e.getMessage(), e);
        }
    }

    byte[] smallBlob(Digest digest, int maxBytes) throws IOException {
        try (InputStream in = blob(digest, maxBytes)) {
            return in.readAllBytes();
        }
    }
}
