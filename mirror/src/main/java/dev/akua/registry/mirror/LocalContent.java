package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.FileWriter;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.manifest.PutResult;
import dev.akua.registry.storage.manifest.Revision;
import dev.akua.registry.storage.manifest.StoredManifest;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The mirror's writes into the registry's storage, in the order that keeps every visible thing
 * complete (ARCHITECTURE.md rule 1): a blob streams into a staging object of its own while it is
 * hashed, and enters the content store (then the repository) only when its bytes hash to its digest
 * and its size is the expected one; a manifest is stored only after everything it references is in
 * the repository (the storage's reference check); tags move last.
 *
 * <p>Staging objects live under {@code /_mirror/staging/} in the storage driver (outside
 * {@code /blobs} and {@code /repositories}, so no listing or pull sees them); a crash leaves at most
 * an orphan there, removed by {@link #purgeStaging(Duration)}.
 */
final class LocalContent {
    private static final Logger LOG = Logger.getLogger(LocalContent.class.getName());
    static final String STAGING = "/_mirror/staging";
    private static final int BUFFER = 256 * 1024;

    private final RegistryStorage storage;
    private final StoreEvents events;
    private final ManifestParser parser = new ManifestParser();

    LocalContent(RegistryStorage storage, StoreEvents events) {
        this.storage = storage;
        this.events = events;
    }

    RegistryStorage storage() {
        return storage;
    }

    /** The blob is linked into the repository and its bytes are in the content store. */
    boolean hasBlob(RepositoryName repo, Digest digest) {
        return storage.links().isLinked(repo, digest) && storage.blobs().stat(digest).isPresent();
    }

    Optional<Revision> revision(RepositoryName repo, Digest digest) {
        return storage.manifests().revision(repo, digest);
    }

    Optional<StoredManifest> manifest(RepositoryName repo, Digest digest) {
        return storage.manifests().get(repo, digest);
    }

    ManifestContent parse(byte[] raw, String mediaType) {
        return parser.parse(raw, mediaType);
    }

    /**
     * True when the repository holds the manifest and everything below it (blobs of image manifests,
     * children of indexes, recursively). A pull-through cache records manifests before their blobs,
     * so "the manifest is there" alone does not mean "the artifact is there".
     */
    boolean isComplete(RepositoryName repo, Digest digest, int depth) {
        Optional<StoredManifest> m;
        try {
            m = storage.manifests().get(repo, digest);
        } catch (OciException e) {
            return false; // recorded, but its bytes are gone
        }
        if (m.isEmpty()) {
            return false;
        }
        ManifestContent content;
        try {
            content = parser.parse(m.get().bytes(), m.get().revision().mediaType());
        } catch (OciException e) {
            return false;
        }
        if (content.kind() == ManifestKind.IMAGE) {
            return content.requiredBlobs().stream().allMatch(b -> hasBlob(repo, b.digest()));
        }
        if (depth <= 0) {
            return false;
        }
        for (Descriptor child : content.manifests()) {
            if (!isComplete(repo, child.digest(), depth - 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Streams a blob into storage, verified: it becomes readable in {@code repo} only if the bytes
     * hash to {@code digest} (and number {@code expectedSize} when that is known).
     */
    void ingest(RepositoryName repo, Digest digest, long expectedSize, InputStream in, long maxBytes, LongConsumer progress)
            throws IOException {
        BlobSink sink = openSink(repo, digest, expectedSize, maxBytes);
        try {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sink.write(buf, 0, n);
                progress.accept(n);
            }
            sink.finish();
        } finally {
            sink.abortIfOpen();
        }
    }

    /**
     * A sink that publishes into the content store and links into {@code repo}; with a null
     * {@code repo} it only fills the content store (an import's staging pass: content-addressed
     * bytes nobody can read until a repository links them).
     */
    BlobSink openSink(RepositoryName repo, Digest digest, long expectedSize, long maxBytes) throws IOException {
        String path = STAGING + "/" + UUID.randomUUID();
        return new BlobSink(repo, digest, expectedSize, maxBytes, path, storage.driver().writer(path, false));
    }

    /** A blob on its way into storage: written to a staging object and hashed, published by {@link #finish()}. */
    final class BlobSink {
        private final RepositoryName repo;
        private final Digest digest;
        private final long expectedSize;
        private final long maxBytes;
        private final String path;
        private final FileWriter writer;
        private final MessageDigest md;
        private long count;
        private boolean open = true;

        private BlobSink(RepositoryName repo, Digest digest, long expectedSize, long maxBytes, String path, FileWriter writer) {
            this.repo = repo;
            this.digest = digest;
            this.expectedSize = expectedSize;
            this.maxBytes = maxBytes;
            this.path = path;
            this.writer = writer;
            this.md = digest.algorithm().newMessageDigest();
        }

        void write(byte[] buf, int off, int len) throws IOException {
            count += len;
            if (count > maxBytes || (expectedSize >= 0 && count > expectedSize)) {
                throw new IOException("blob " + digest + " is larger than " + (expectedSize >= 0 ? expectedSize : maxBytes) + " bytes");
            }
            md.update(buf, off, len);
            writer.write(buf, off, len);
        }

        long count() {
            return count;
        }

        /** Verifies, makes durable, moves into the content store and links into the repository. */
        void finish() throws IOException {
            Digest actual = Digest.fromHash(digest.algorithm(), md.digest());
            if (!actual.equals(digest)) {
                throw new ContentMismatchException("blob " + digest + " arrived as " + actual);
            }
            if (expectedSize >= 0 && count != expectedSize) {
                throw new ContentMismatchException("blob " + digest + " has " + count + " bytes, " + expectedSize + " expected");
            }
            writer.commit();
            writer.close();
            open = false;
            storage.blobs().adopt(path, digest);
            if (repo != null) {
                storage.links().link(repo, digest);
            }
        }

        void abortIfOpen() {
            if (!open) {
                return;
            }
            open = false;
            try {
                writer.cancel();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "cancelling staging object " + path, e);
            }
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "closing staging object " + path, e);
            }
            try {
                storage.driver().delete(path);
            } catch (PathNotFoundException e) {
                // cancelled already
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "deleting staging object " + path, e);
            }
        }
    }

    /** Links a blob the content store already holds (verified earlier, e.g. by an import's staging pass). */
    void link(RepositoryName repo, Digest digest) {
        storage.links().link(repo, digest);
    }

    /** Stores a manifest whose references are all in the repository (the storage checks it). */
    PutResult putManifest(RepositoryName repo, Digest digest, byte[] raw, String mediaType) {
        PutResult result = storage.manifests().put(repo, digest, raw, mediaType, List.of());
        notify(repo, result, Map.of());
        return result;
    }

    /** Records a manifest fetched by the pull-through cache before its blobs. */
    PutResult putCached(RepositoryName repo, Digest digest, byte[] raw, String mediaType) {
        PutResult result = storage.manifests().putCached(repo, digest, raw, mediaType);
        notify(repo, result, Map.of());
        return result;
    }

    /** Points a tag at a manifest the repository holds; nothing happens when it already does. True when it moved. */
    boolean tag(RepositoryName repo, Tag tag, Digest digest) {
        Optional<Digest> previous = storage.tags().resolve(repo, tag);
        if (previous.filter(digest::equals).isPresent()) {
            return false;
        }
        Revision revision = storage.manifests().revision(repo, digest).orElseThrow(() ->
                new IllegalStateException("tagging " + repo + ":" + tag + " before " + digest + " is stored"));
        storage.tags().put(repo, tag, digest);
        notify(repo, new PutResult(digest, revision.subject(), List.of(tag), revision.mediaType()), Map.of(tag, previous));
        return true;
    }

    private void notify(RepositoryName repo, PutResult result, Map<Tag, Optional<Digest>> previous) {
        try {
            events.manifestStored(repo, result, previous);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a listener failed after the mirror stored " + repo + "@" + result.digest(), e);
        }
    }

    /** Removes staging objects older than {@code age} (left by a crash). */
    int purgeStaging(Duration age) {
        int removed = 0;
        List<String> entries;
        try {
            entries = storage.driver().list(STAGING);
        } catch (PathNotFoundException e) {
            return 0;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + STAGING, e);
            return 0;
        }
        Instant cutoff = Instant.now().minus(age);
        for (String entry : entries) {
            try {
                FileInfo info = storage.driver().stat(entry);
                if (info.modifiedAt().isBefore(cutoff)) {
                    storage.driver().delete(entry);
                    removed++;
                }
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot purge " + entry, e);
            }
        }
        return removed;
    }

    /** Content whose bytes do not match the digest or size it was announced with. */
    static final class ContentMismatchException extends IOException {
        ContentMismatchException(String message) {
            super(message);
        }
    }
}
