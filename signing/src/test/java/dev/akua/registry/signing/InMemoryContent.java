package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory fake of the registry's content: tags, manifests, blobs, and a referrers index derived from subjects. */
final class InMemoryContent implements SignatureContent {
    private final Map<String, Map<String, Digest>> tags = new HashMap<>();
    private final Map<String, Map<Digest, byte[]>> manifests = new HashMap<>();
    private final Map<String, Map<Digest, byte[]>> blobs = new HashMap<>();
    private final ManifestParser parser = new ManifestParser();
    final AtomicInteger blobReads = new AtomicInteger();
    final AtomicInteger manifestReads = new AtomicInteger();

    Digest putBlob(RepositoryName repo, byte[] bytes) {
        Digest d = Digest.sha256(bytes);
        blobs.computeIfAbsent(repo.value(), r -> new HashMap<>()).put(d, bytes);
        return d;
    }

    Digest putManifest(RepositoryName repo, byte[] bytes, String tag) {
        Digest d = Digest.sha256(bytes);
        manifests.computeIfAbsent(repo.value(), r -> new HashMap<>()).put(d, bytes);
        if (tag != null) {
            tags.computeIfAbsent(repo.value(), r -> new HashMap<>()).put(tag, d);
        }
        return d;
    }

    /** Stores bytes under a digest they do not hash to (a corrupt backend). */
    void putBlobRaw(RepositoryName repo, Digest digest, byte[] bytes) {
        blobs.computeIfAbsent(repo.value(), r -> new HashMap<>()).put(digest, bytes);
    }

    void removeBlob(RepositoryName repo, Digest digest) {
        blobs.getOrDefault(repo.value(), Map.of()).remove(digest);
    }

    void untag(RepositoryName repo, String tag) {
        tags.getOrDefault(repo.value(), new HashMap<>()).remove(tag);
    }

    /** Pushes what a signer produced, blobs first, the way the registry will. */
    void apply(RepositoryName repo, SigningResult result) {
        result.blobs().forEach(b -> putBlob(repo, b.content()));
        result.manifests().forEach(m -> putManifest(repo, m.content(), m.tag() == null ? null : m.tag().value()));
    }

    @Override
    public Optional<byte[]> manifest(RepositoryName repository, Reference reference) {
        manifestReads.incrementAndGet();
        Digest digest = reference instanceof Tag t
                ? tags.getOrDefault(repository.value(), Map.of()).get(t.value())
                : (Digest) reference;
        if (digest == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(manifests.getOrDefault(repository.value(), Map.of()).get(digest));
    }

    @Override
    public List<Descriptor> referrers(RepositoryName repository, Digest subject) {
        List<Descriptor> out = new ArrayList<>();
        for (var e : manifests.getOrDefault(repository.value(), Map.of()).entrySet()) {
            ManifestContent content;
            try {
                content = parser.parse(e.getValue(), null);
            } catch (RuntimeException ex) {
                continue;
            }
            if (content.subject() != null && content.subject().digest().equals(subject)) {
                out.add(new Descriptor(content.mediaType(), e.getKey(), e.getValue().length, content.referrerArtifactType(),
                        content.annotations(), null));
            }
        }
        return out;
    }

    @Override
    public Optional<InputStream> openBlob(RepositoryName repository, Digest digest) {
        blobReads.incrementAndGet();
        byte[] bytes = blobs.getOrDefault(repository.value(), Map.of()).get(digest);
        return Optional.ofNullable(bytes).map(ByteArrayInputStream::new);
    }
}
