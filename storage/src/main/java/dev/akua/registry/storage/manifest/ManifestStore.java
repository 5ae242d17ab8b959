package dev.akua.registry.storage.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.StorageFailures;
import dev.akua.registry.storage.blob.BlobInfo;
import dev.akua.registry.storage.blob.BlobLinks;
import dev.akua.registry.storage.blob.BlobStore;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import dev.akua.registry.storage.referrers.ReferrersStore;
import dev.akua.registry.storage.tag.TagStore;
import dev.akua.registry.storage.trash.Trash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Manifests of repositories. A push is: verify the digest over the raw bytes, parse for validation
 * only, check every referenced blob/manifest is in the repository, store the raw bytes in the content
 * store, record the revision, index the {@code subject}, and only then move tags (so a tag never
 * points at something incomplete). Reads serve the stored bytes unchanged.
 */
public final class ManifestStore {
    private record Key(RepositoryName repo, Digest digest) {
    }

    private final StorageDriver driver;
    private final BlobStore blobs;
    private final BlobLinks links;
    private final TagStore tags;
    private final ReferrersStore referrers;
    private final ManifestParser parser;
    private final JsonMapper json;
    private final int maxManifestBytes;
    private final LoadingCache<Key, Optional<Revision>> revisions;
    private final Cache<Digest, byte[]> bytes;
    private final Trash trash;

    public ManifestStore(StorageDriver driver, BlobStore blobs, BlobLinks links, TagStore tags, ReferrersStore referrers,
                         ManifestParser parser, JsonMapper json, int maxManifestBytes, Duration pointerTtl, long cacheBytes) {
        this.driver = driver;
        this.blobs = blobs;
        this.links = links;
        this.tags = tags;
        this.referrers = referrers;
        this.parser = parser;
        this.json = json;
        this.maxManifestBytes = maxManifestBytes;
        this.trash = new Trash(driver);
        this.revisions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(pointerTtl).build(this::loadRevision);
        // Content-addressed: an entry is true forever, so only size bounds it.
        this.bytes = Caffeine.newBuilder()
                .maximumWeight(Math.max(cacheBytes, 0))
                .weigher((Digest d, byte[] b) -> b.length + 64)
                .build();
    }

    public int maxManifestBytes() {
        return maxManifestBytes;
    }

    /**
     * Stores a manifest pushed to {@code reference} (a tag, or a digest that must match the bytes),
     * plus any extra tags ({@code ?tag=} parameters, distribution-spec end-7b).
     */
    public PutResult put(RepositoryName repo, Reference reference, byte[] raw, String contentType, List<Tag> extraTags) {
        return put(repo, reference, raw, contentType, extraTags, content -> {
        });
    }

    /**
     * As {@link #put(RepositoryName, Reference, byte[], String, List)}, running {@code beforeStore}
     * on the parsed, reference-checked manifest before anything is written; it refuses by throwing.
     */
    public PutResult put(RepositoryName repo, Reference reference, byte[] raw, String contentType, List<Tag> extraTags,
                         java.util.function.Consumer<ManifestContent> beforeStore) {
        if (raw.length > maxManifestBytes) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID,
                    "manifest exceeds the size limit of " + maxManifestBytes + " bytes").withStatus(413);
        }
        Digest digest;
        if (reference instanceof Digest expected) {
            digest = Digest.of(expected.algorithm(), raw);
            if (!digest.equals(expected)) {
                throw OciException.of(ErrorCode.DIGEST_INVALID,
                        "manifest bytes hash to " + digest + ", not " + expected, Map.of("digest", expected.toString()));
            }
        } else {
            digest = Digest.sha256(raw);
        }
        ManifestContent content = parser.parse(raw, contentType);
        checkReferences(repo, content);
        beforeStore.accept(content);

        blobs.put(digest, raw);
        Digest subject = content.subject() == null ? null : content.subject().digest();
        Revision revision = new Revision(digest, content.mediaType(), raw.length, subject);
        writeRevision(repo, revision);
        bytes.put(digest, raw);
        if (subject != null) {
            referrers.add(repo, subject, new ReferrerDescriptor(content.mediaType(), digest, raw.length,
                    content.referrerArtifactType(), content.annotations()));
        }
        // Online garbage collection (see Trash): re-check after writing, so that either the collector
        // sees this manifest or this push sees what the collector moved, and puts it back.
        verifyReferences(repo, content);
        if (blobs.statForReference(digest).isEmpty()) {
            blobs.put(digest, raw); // its own bytes: this push has them at hand
        }
        LinkedHashSet<Tag> tagged = new LinkedHashSet<>();
        if (reference instanceof Tag tag) {
            tagged.add(tag);
        }
        tagged.addAll(extraTags);
        for (Tag tag : tagged) {
            tags.put(repo, tag, digest);
        }
        verifyRevision(repo, revision, content);
        return new PutResult(digest, subject, new ArrayList<>(tagged), content.mediaType());
    }

    /** Forgets a cached revision (after the garbage collector moved it). */
    public void invalidate(RepositoryName repo, Digest digest) {
        revisions.invalidate(new Key(repo, digest));
    }

    /** Everything the manifest references is still stored after the push wrote it; else back from the trash. */
    private void verifyReferences(RepositoryName repo, ManifestContent content) {
        List<String> lost = new ArrayList<>();
        for (Descriptor blob : content.requiredBlobs()) {
            if (blobs.statForReference(blob.digest()).isEmpty()) {
                lost.add(blob.digest().toString());
            }
        }
        for (Descriptor child : content.manifests()) {
            if (!restoreRevision(repo, child.digest())) {
                lost.add(child.digest().toString());
            }
        }
        if (!lost.isEmpty()) {
            // Only when a client relied on content for longer than the collector's grace period.
            throw OciException.of(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                    "content referenced by the manifest was removed while it was pushed: " + lost.getFirst(),
                    Map.of("digests", lost.subList(0, Math.min(lost.size(), 20))));
        }
    }

    /** After the tags moved, the revision they point at must still be there; a collector may have just moved it. */
    private void verifyRevision(RepositoryName repo, Revision revision, ManifestContent content) {
        try {
            if (driver.exists(Layout.revisionLink(repo, revision.digest()))) {
                return;
            }
        } catch (IOException e) {
            throw StorageFailures.unavailable("checking manifest " + revision.digest() + " in " + repo, e);
        }
        writeRevision(repo, revision);
        if (revision.subject() != null) {
            referrers.add(repo, revision.subject(), new ReferrerDescriptor(content.mediaType(), revision.digest(),
                    revision.size(), content.referrerArtifactType(), content.annotations()));
        }
    }

    /** True if the repository holds the manifest, putting it back from the collector's trash if needed (push path only). */
    private boolean restoreRevision(RepositoryName repo, Digest digest) {
        String link = Layout.revisionLink(repo, digest);
        try {
            boolean present = driver.exists(link) || trash.restore(link);
            if (present) {
                invalidate(repo, digest); // a miss may be cached
            }
            return present;
        } catch (IOException e) {
            throw StorageFailures.unavailable("restoring manifest " + digest + " of " + repo, e);
        }
    }

    /** The digest a push of {@code raw} to {@code reference} would be stored under (the reference's algorithm, else sha256). */
    public static Digest digestFor(Reference reference, byte[] raw) {
        return reference instanceof Digest d ? Digest.of(d.algorithm(), raw) : Digest.sha256(raw);
    }

    /** The revision a tag or digest names in the repository, if any. */
    public Optional<Revision> resolve(RepositoryName repo, Reference reference) {
        Digest digest;
        if (reference instanceof Tag tag) {
            Optional<Digest> target = tags.resolve(repo, tag);
            if (target.isEmpty()) {
                return Optional.empty();
            }
            digest = target.get();
        } else {
            digest = (Digest) reference;
        }
        return revision(repo, digest);
    }

    public Optional<Revision> revision(RepositoryName repo, Digest digest) {
        try {
            return revisions.get(new Key(repo, digest));
        } catch (UncheckedIOException e) {
            throw StorageFailures.unavailable("reading manifest " + digest + " of " + repo, e.getCause());
        }
    }

    /** The manifest and its exact bytes. */
    public Optional<StoredManifest> get(RepositoryName repo, Reference reference) {
        return resolve(repo, reference).map(rev -> new StoredManifest(rev, read(rev)));
    }

    private byte[] read(Revision rev) {
        byte[] cached = bytes.getIfPresent(rev.digest());
        if (cached != null) {
            return cached;
        }
        byte[] raw = blobs.read(rev.digest(), maxManifestBytes);
        bytes.put(rev.digest(), raw);
        return raw;
    }

    /**
     * Records a manifest a pull-through cache fetched from its upstream (issue 9, mirror module). As
     * {@link #put} — size cap, digest over the raw bytes, parse, subject indexed — except that the
     * blobs and child manifests it references need not be present yet: the cache fetches each when
     * a client first asks for it, as Distribution's proxy mode does. No tag is set; the caller moves
     * tags through the {@link TagStore} once this returns.
     */
    public PutResult putCached(RepositoryName repo, Digest digest, byte[] raw, String contentType) {
        if (raw.length > maxManifestBytes) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID,
                    "manifest exceeds the size limit of " + maxManifestBytes + " bytes").withStatus(413);
        }
        Digest actual = Digest.of(digest.algorithm(), raw);
        if (!actual.equals(digest)) {
            throw OciException.of(ErrorCode.DIGEST_INVALID, "manifest bytes hash to " + actual + ", not " + digest,
                    Map.of("digest", digest.toString()));
        }
        ManifestContent content = parser.parse(raw, contentType);
        blobs.put(digest, raw);
        Digest subject = content.subject() == null ? null : content.subject().digest();
        writeRevision(repo, new Revision(digest, content.mediaType(), raw.length, subject));
        bytes.put(digest, raw);
        if (subject != null) {
            referrers.add(repo, subject, new ReferrerDescriptor(content.mediaType(), digest, raw.length,
                    content.referrerArtifactType(), content.annotations()));
        }
        return new PutResult(digest, subject, List.of(), content.mediaType());
    }

    /**
     * Deletes a manifest by digest: its revision, every tag pointing at it, and its entry in the
     * referrers index. False if the repository does not hold it.
     */
    public boolean delete(RepositoryName repo, Digest digest) {
        Optional<Revision> rev = revision(repo, digest);
        if (rev.isEmpty()) {
            return false;
        }
        for (Tag tag : tags.tagsOf(repo, digest)) {
            tags.delete(repo, tag);
        }
        if (rev.get().subject() != null) {
            referrers.remove(repo, rev.get().subject(), digest);
        }
        try {
            driver.delete(Layout.revisionDir(repo, digest));
        } catch (PathNotFoundException e) {
            // deleted concurrently
        } catch (IOException e) {
            throw StorageFailures.unavailable("deleting manifest " + digest + " of " + repo, e);
        } finally {
            revisions.invalidate(new Key(repo, digest));
        }
        return true;
    }

    private void checkReferences(RepositoryName repo, ManifestContent content) {
        List<String> missing = new ArrayList<>();
        for (Descriptor blob : content.requiredBlobs()) {
            if (!links.isLinked(repo, blob.digest())) {
                missing.add(blob.digest().toString());
                continue;
            }
            Optional<BlobInfo> info = blobs.statForReference(blob.digest());
            if (info.isEmpty()) {
                missing.add(blob.digest().toString());
            } else if (info.get().size() != blob.size()) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "descriptor size " + blob.size() + " of " + blob.digest()
                        + " does not match the stored blob's " + info.get().size() + " bytes");
            }
        }
        for (Descriptor child : content.manifests()) {
            Optional<Revision> rev = revision(repo, child.digest());
            if (rev.isEmpty() && restoreRevision(repo, child.digest())) {
                rev = revision(repo, child.digest());
            }
            if (rev.isEmpty()) {
                missing.add(child.digest().toString());
            } else if (rev.get().size() != child.size()) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "descriptor size " + child.size() + " of " + child.digest()
                        + " does not match the stored manifest's " + rev.get().size() + " bytes");
            }
        }
        if (!missing.isEmpty()) {
            throw OciException.of(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                    "manifest references " + missing.size() + " blob(s) or manifest(s) not in " + repo + ": " + missing.getFirst(),
                    Map.of("digests", missing.subList(0, Math.min(missing.size(), 20))));
        }
    }

    private void writeRevision(RepositoryName repo, Revision revision) {
        ObjectNode node = json.createObjectNode();
        node.put("digest", revision.digest().toString());
        node.put("mediaType", revision.mediaType());
        node.put("size", revision.size());
        if (revision.subject() != null) {
            node.put("subject", revision.subject().toString());
        }
        Key key = new Key(repo, revision.digest());
        try {
            driver.putContent(Layout.revisionLink(repo, revision.digest()), json.writeValueAsBytes(node));
        } catch (IOException e) {
            throw StorageFailures.unavailable("recording manifest " + revision.digest() + " in " + repo, e);
        } finally {
            revisions.invalidate(key);
        }
    }

    private Optional<Revision> loadRevision(Key key) {
        try {
            JsonNode node = json.readTree(driver.getContent(Layout.revisionLink(key.repo(), key.digest())));
            JsonNode subject = node.get("subject");
            return Optional.of(new Revision(key.digest(), node.get("mediaType").asText(), node.get("size").asLong(),
                    subject == null ? null : Digest.parse(subject.asText())));
        } catch (PathNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
