package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.oci.BlobResponse;
import dev.akua.registry.remote.oci.ManifestHead;
import dev.akua.registry.remote.oci.ManifestResponse;
import dev.akua.registry.storage.manifest.StoredManifest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one tagged artifact from an upstream repository into its local repository, with its
 * signatures and attestations (cosign sidecar tags {@code <alg>-<hex>.sig/.att/.sbom} of the
 * manifest and of every manifest below it) and its OCI 1.1 referrers (and theirs, to
 * {@link MirrorLimits#maxDepth()}), keeping every digest.
 *
 * <p>Order, so that an upstream failing at any point leaves nothing partial visible: blobs first
 * (each verified, {@link LocalContent}), then child manifests, then the manifest (the storage
 * refuses it unless everything it references is there), and tags only after the whole artifact and
 * all its companions are stored — the sidecar tags, then the artifact's own tag. What exists
 * locally and is complete is not fetched again (incremental runs cost a few {@code HEAD}s).
 */
final class ArtifactCopier {
    private static final List<String> SIDECARS = List.of(".sig", ".att", ".sbom");

    /** What to bring along. */
    record Options(boolean signatures, boolean referrers, boolean onlySigned, String policy, SignatureGate gate) {
    }

    enum Status { COPIED, UNCHANGED, SKIPPED }

    record Outcome(Status status, Digest digest, int manifests, int blobs, long bytes, String detail) {
    }

    /** Counts of what one copy fetched. */
    private static final class Stats {
        int manifests;
        int blobs;
        long bytes;
    }

    private final LocalContent local;
    private final MirrorLimits limits;
    private final Progress progress;
    private final ManifestParser parser = new ManifestParser();

    ArtifactCopier(LocalContent local, MirrorLimits limits, Progress progress) {
        this.local = local;
        this.limits = limits;
        this.progress = progress;
    }

    Outcome copyTag(Upstreams.Source source, RepositoryName repo, String tag, Options options) throws IOException {
        String up = source.upstreamName(repo);
        ManifestResponse response = source.client().manifest(up, tag).orElseThrow(() ->
                new IOException("upstream " + source.upstream().name() + " no longer has " + up + ":" + tag));
        byte[] raw = response.bytes();
        Digest digest = Digest.sha256(raw);
        checkHeader(response, digest, up + ":" + tag);
        if (options.onlySigned()) {
            Optional<String> refusal = options.gate().refusal(new UpstreamSignatureContent(source, repo, limits.maxReferrers()),
                    repo, digest, options.policy());
            if (refusal.isPresent()) {
                return new Outcome(Status.SKIPPED, digest, 0, 0, 0, "not taken (onlySigned): " + refusal.get());
            }
        }
        Stats stats = new Stats();
        Map<Tag, Digest> pendingTags = new LinkedHashMap<>();
        List<Digest> tree = new ArrayList<>();
        copyTree(source, up, repo, digest, raw, response.mediaType(), limits.maxDepth(), stats, tree);
        companions(source, up, repo, tree, options, limits.maxDepth(), stats, pendingTags);
        boolean moved = false;
        for (Map.Entry<Tag, Digest> e : pendingTags.entrySet()) {
            moved |= local.tag(repo, e.getKey(), e.getValue());
        }
        moved |= local.tag(repo, new Tag(tag), digest);
        boolean changed = stats.manifests > 0 || stats.blobs > 0 || moved;
        return new Outcome(changed ? Status.COPIED : Status.UNCHANGED, digest, stats.manifests, stats.blobs, stats.bytes, "");
    }

    /**
     * Stores the manifest {@code digest} and everything below it; collects the digests of the tree
     * (for signatures and referrers of child manifests).
     */
    private void copyTree(Upstreams.Source source, String up, RepositoryName repo, Digest digest, byte[] raw, String mediaType,
                          int depth, Stats stats, List<Digest> tree) throws IOException {
        if (tree.size() > 10_000) {
            throw new IOException(up + "@" + digest + " expands to more than 10000 manifests");
        }
        tree.add(digest);
        if (local.isComplete(repo, digest, depth)) {
            Optional<StoredManifest> held = local.manifest(repo, digest);
            if (held.isPresent()) {
                ManifestContent content = local.parse(held.get().bytes(), held.get().revision().mediaType());
                for (Descriptor child : content.manifests()) {
                    tree.add(child.digest());
                }
            }
            return;
        }
        if (raw == null) {
            ManifestResponse response = source.client().manifest(up, digest.toString()).orElseThrow(() ->
                    new IOException("upstream " + source.upstream().name() + " has no manifest " + up + "@" + digest));
            raw = response.bytes();
            mediaType = response.mediaType() != null ? response.mediaType() : mediaType;
        }
        Digest actual = Digest.of(digest.algorithm(), raw);
        if (!actual.equals(digest)) {
            throw new LocalContent.ContentMismatchException("manifest " + up + "@" + digest + " arrived as " + actual);
        }
        ManifestContent content = parse(raw, mediaType, up + "@" + digest);
        if (content.kind() == ManifestKind.IMAGE) {
            for (Descriptor blob : content.requiredBlobs()) {
                if (!local.hasBlob(repo, blob.digest())) {
                    fetchBlob(source, up, repo, blob, stats);
                }
            }
        } else {
            if (depth <= 0) {
                throw new IOException(up + "@" + digest + " nests indexes deeper than " + limits.maxDepth());
            }
            for (Descriptor child : content.manifests()) {
                copyTree(source, up, repo, child.digest(), null, child.mediaType(), depth - 1, stats, tree);
            }
        }
        local.putManifest(repo, digest, raw, content.mediaType());
        stats.manifests++;
        progress.advance(1, 0);
    }

    private void fetchBlob(Upstreams.Source source, String up, RepositoryName repo, Descriptor blob, Stats stats) throws IOException {
        if (blob.size() > limits.maxBlobBytes()) {
            throw new IOException("blob " + blob.digest() + " of " + up + " has " + blob.size() + " bytes, over the limit of "
                    + limits.maxBlobBytes());
        }
        Optional<BlobResponse> response = source.client().blob(up, blob.digest().toString(), Math.max(1, blob.size()));
        if (response.isEmpty()) {
            throw new IOException("upstream " + source.upstream().name() + " has no blob " + blob.digest() + " in " + up);
        }
        try (BlobResponse body = response.get()) {
            local.ingest(repo, blob.digest(), blob.size(), body.body(), limits.maxBlobBytes(), n -> progress.advance(0, n));
        }
        stats.blobs++;
        stats.bytes += blob.size();
        progress.advance(1, 0);
    }

    /** Sidecar tags and referrers of every manifest in {@code subjects}; their tags go to {@code pendingTags}. */
    private void companions(Upstreams.Source source, String up, RepositoryName repo, List<Digest> subjects, Options options,
                            int depth, Stats stats, Map<Tag, Digest> pendingTags) throws IOException {
        Set<Digest> seen = new LinkedHashSet<>(subjects);
        for (Digest subject : seen) {
            if (options.signatures()) {
                for (String suffix : SIDECARS) {
                    if (Tag.isValid(subject.tagForm() + suffix)) {   // sha512 forms exceed the tag grammar
                        sidecar(source, up, repo, new Tag(subject.tagForm() + suffix), stats, pendingTags);
                    }
                }
            }
            if (options.referrers() && depth > 0) {
                UpstreamReferrers found = UpstreamReferrers.list(source.client(), up, subject, parser, limits.maxReferrers());
                for (Descriptor referrer : found.referrers()) {
                    List<Digest> tree = new ArrayList<>();
                    copyTree(source, up, repo, referrer.digest(), null, referrer.mediaType(), depth - 1, stats, tree);
                    companions(source, up, repo, tree, options, depth - 1, stats, pendingTags);
                }
                if (found.fallbackIndex() != null) {
                    UpstreamReferrers.FallbackIndex index = found.fallbackIndex();
                    copyTree(source, up, repo, index.digest(), index.raw(), index.mediaType(), depth, stats, new ArrayList<>());
                    pendingTags.put(new Tag(index.tag()), index.digest());
                }
            }
        }
    }

    private void sidecar(Upstreams.Source source, String up, RepositoryName repo, Tag tag, Stats stats, Map<Tag, Digest> pendingTags)
            throws IOException {
        Optional<ManifestHead> head = source.client().headManifest(up, tag.value());
        if (head.isEmpty()) {
            return;
        }
        String announced = head.get().digest();
        if (announced != null) {
            Digest d = Digest.parse(announced);
            if (local.storage().tags().resolve(repo, tag).filter(d::equals).isPresent() && local.isComplete(repo, d, limits.maxDepth())) {
                return;
            }
        }
        ManifestResponse response = source.client().manifest(up, tag.value()).orElse(null);
        if (response == null) {
            return; // removed between HEAD and GET
        }
        Digest digest = Digest.sha256(response.bytes());
        checkHeader(response, digest, up + ":" + tag);
        copyTree(source, up, repo, digest, response.bytes(), response.mediaType(), limits.maxDepth(), stats, new ArrayList<>());
        pendingTags.put(tag, digest);
    }

    private ManifestContent parse(byte[] raw, String mediaType, String what) throws IOException {
        try {
            return parser.parse(raw, mediaType == null ? null : MediaTypes.essence(mediaType));
        } catch (OciException e) {
            throw new IOException("upstream manifest " + what + " is not acceptable: " + e.getMessage(), e);
        }
    }

    private static void checkHeader(ManifestResponse response, Digest digest, String what) throws IOException {
        String header = response.digestHeader();
        if (header != null) {
            Digest announced = Digest.parse(header);
            if (announced.algorithm() == digest.algorithm() && !announced.equals(digest)) {
                throw new LocalContent.ContentMismatchException("manifest " + what + " is announced as " + header + " but hashes to " + digest);
            }
        }
    }
}
