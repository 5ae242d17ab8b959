package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.oci.BlobResponse;
import dev.akua.registry.remote.oci.ManifestResponse;
import dev.akua.registry.signing.SignatureContent;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The signing module's read port over an upstream repository, so {@code onlySigned} verifies an
 * artifact's signatures before anything of it is copied. The repository the verifier names is the
 * local one (the trust policy is chosen by it); reads go to the upstream repository behind it.
 * Manifests asked for by digest are checked against it; blobs are digest-verified by the client.
 */
final class UpstreamSignatureContent implements SignatureContent {
    private static final int MAX_BLOB = 16 * 1024 * 1024;

    private final Upstreams.Source source;
    private final RepositoryName local;
    private final String upstream;
    private final ManifestParser parser = new ManifestParser();
    private final int maxReferrers;

    UpstreamSignatureContent(Upstreams.Source source, RepositoryName local, int maxReferrers) {
        this.source = source;
        this.local = local;
        this.upstream = source.upstreamName(local);
        this.maxReferrers = maxReferrers;
    }

    private void check(RepositoryName repository) throws IOException {
        if (!repository.equals(local)) {
            throw new IOException("signature lookup for " + repository + " through the source of " + local);
        }
    }

    @Override
    public Optional<byte[]> manifest(RepositoryName repository, Reference reference) throws IOException {
        check(repository);
        Optional<ManifestResponse> response = source.client().manifest(upstream, reference.toString());
        if (response.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw = response.get().bytes();
        if (reference instanceof Digest d && !Digest.of(d.algorithm(), raw).equals(d)) {
            throw new IOException("upstream manifest " + upstream + "@" + d + " does not match its digest");
        }
        return Optional.of(raw);
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repository, Digest subject) throws IOException {
        check(repository);
        return UpstreamReferrers.list(source.client(), upstream, subject, parser, maxReferrers).referrers();
    }

    @Override
    public Optional<InputStream> openBlob(RepositoryName repository, Digest digest) throws IOException {
        check(repository);
        Optional<BlobResponse> blob = source.client().blob(upstream, digest.toString(), MAX_BLOB);
        return blob.map(b -> new FilterInputStream(b.body()) {
            @Override
            public void close() {
                b.close();
            }
        });
    }
}
