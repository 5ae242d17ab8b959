package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.remote.oci.ManifestHead;
import dev.akua.registry.remote.oci.ManifestResponse;
import dev.akua.registry.storage.manifest.Revision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pull-through cache for the upstreams with {@code pullThrough} on. The registry consults it for
 * repositories under their prefixes, after the access gate allowed the pull:
 * <ul>
 *   <li><b>manifest by digest</b>: served locally if held; else fetched, its bytes hashed and compared
 *       with the digest asked for, and recorded (its blobs follow when asked for);</li>
 *   <li><b>manifest by tag</b>: served locally while the tag was checked within the upstream's
 *       {@code tagTtl}; after that a {@code HEAD} asks the upstream for the tag's digest and moves the
 *       local tag if it changed (fetching the new manifest first);</li>
 *   <li><b>blob</b>: one upstream fetch per blob however many clients ask at once; each client
 *       receives the bytes as they arrive ({@link BlobDelivery}), the blob becomes part of the
 *       repository only once it hashed to its digest;</li>
 *   <li><b>upstream unreachable</b> (connection refused, timeout, 5xx, 429): whatever is cached is
 *       served as it is, tags included, and the upstream is left alone for
 *       {@link MirrorLimits#upstreamRetryAfter()}; what is not cached answers 503.</li>
 * </ul>
 * A tag the upstream no longer has keeps being served from the cache (an offline site keeps what it
 * had); a deleted local tag is fetched again on the next pull.
 */
public final class PullThroughCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PullThroughCache.class.getName());
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final int MAX_VALIDATED = 100_000;

    private record TagKey(RepositoryName repo, Tag tag) {
    }

    private record BlobKey(RepositoryName repo, Digest digest) {
    }

    private record ManifestKey(RepositoryName repo, Digest digest) {
    }

    private final Upstreams upstreams;
    private final LocalContent local;
    private final MirrorLimits limits;
    private final Path spoolDir;
    private final Clock clock;
    private final ConcurrentHashMap<TagKey, Instant> validated = new ConcurrentHashMap<>();
    private final SingleFlight<Object> manifestFlights = new SingleFlight<>();
    private final ConcurrentHashMap<BlobKey, BlobFetch> blobFlights = new ConcurrentHashMap<>();
    private final ExecutorService fetchers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mirror-fetch-", 0).factory());
    private final AtomicLong upstreamBlobFetches = new AtomicLong();
    private final AtomicLong upstreamManifestFetches = new AtomicLong();

    PullThroughCache(Upstreams upstreams, LocalContent local, MirrorLimits limits, Path spoolDir, Clock clock) {
        this.upstreams = upstreams;
        this.local = local;
        this.limits = limits;
        this.spoolDir = spoolDir;
        this.clock = clock;
        try {
            Files.createDirectories(spoolDir);
            // Spools a crashed process left. Only old ones: another process sharing the directory (a CLI
            // run beside the server) may be fetching right now.
            java.time.Instant cutoff = java.time.Instant.now().minus(Duration.ofDays(1));
            try (var old = Files.list(spoolDir)) {
                for (Path p : old.toList()) {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the spool directory " + spoolDir, e);
        }
    }

    /** Whether pulls of {@code repository} may go to an upstream. */
    public boolean handles(RepositoryName repository) {
        return source(repository).isPresent();
    }

    private Optional<Upstreams.Source> source(RepositoryName repository) {
        return upstreams.forLocal(repository).filter(s -> s.upstream().pullThrough());
    }

    /** Blobs fetched from upstreams so far (each counted once however many clients waited for it). */
    public long upstreamBlobFetches() {
        return upstreamBlobFetches.get();
    }

    public long upstreamManifestFetches() {
        return upstreamManifestFetches.get();
    }

    /**
     * Makes the manifest available locally when it can be: afterwards the registry serves it from
     * storage, or answers 404 when neither the cache nor the upstream has it.
     *
     * @throws OciException {@code UNAVAILABLE} (503) when the upstream cannot be asked and nothing is cached,
     *                      or (502) when it answered with content that does not match its digest
     */
    public void prepareManifest(RepositoryName repository, Reference reference) {
        Optional<Upstreams.Source> found = source(repository);
        if (found.isEmpty()) {
            return;
        }
        Upstreams.Source source = found.get();
        try {
            switch (reference) {
                case Digest digest -> {
                    if (local.revision(repository, digest).isPresent()) {
                        return;
                    }
                    manifestFlights.run(new ManifestKey(repository, digest), () -> {
                        if (local.revision(repository, digest).isEmpty()) {
                            fetchManifest(source, repository, digest);
                        }
                    });
                }
                case Tag tag -> {
                    Optional<Digest> cached = local.storage().tags().resolve(repository, tag);
                    if (cached.isPresent() && (fresh(source, repository, tag) || source.recentlyDown())) {
                        return;
                    }
                    if (source.recentlyDown()) {
                        throw unavailable(source, repository + ":" + tag, new IOException("it failed moments ago"));
                    }
                    manifestFlights.run(new TagKey(repository, tag), () -> revalidate(source, repository, tag));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            source.record(cause);
            boolean cached = reference instanceof Tag t
                    ? local.storage().tags().resolve(repository, t).isPresent()
                    : local.revision(repository, (Digest) reference).isPresent();
            if (cached) {
                LOG.log(Level.INFO, "upstream " + source.upstream().name() + " failed for " + repository + ":" + reference
                        + "; serving the cached copy: " + cause.getMessage());
                return;
            }
            throw unavailable(source, repository + ":" + reference, cause);
        }
    }

    private boolean fresh(Upstreams.Source source, RepositoryName repository, Tag tag) {
        Instant checked = validated.get(new TagKey(repository, tag));
        return checked != null && checked.plus(source.upstream().tagTtl()).isAfter(clock.instant());
    }

    private void markValidated(RepositoryName repository, Tag tag) {
        if (validated.size() >= MAX_VALIDATED) {
            validated.clear();
        }
        validated.put(new TagKey(repository, tag), clock.instant());
    }

    private void revalidate(Upstreams.Source source, RepositoryName repository, Tag tag) throws IOException {
        String up = source.upstreamName(repository);
        Optional<Digest> cached = local.storage().tags().resolve(repository, tag);
        Optional<ManifestHead> head = source.client().headManifest(up, tag.value());
        source.record(null);
        if (head.isEmpty()) {
            if (cached.isPresent()) {
                LOG.info("upstream " + source.upstream().name() + " no longer has " + up + ":" + tag + "; the cached tag stays");
                markValidated(repository, tag);
            }
            return;
        }
        Digest current = head.get().digest() == null ? null : Digest.parse(head.get().digest());
        if (current != null && cached.filter(current::equals).isPresent()) {
            markValidated(repository, tag);
            return;
        }
        if (current == null || local.revision(repository, current).isEmpty()) {
            Digest announced = current;
            current = fetchManifest(source, repository, announced == null ? tag : announced);
            if (current == null) {
                throw new IOException("upstream announced " + up + ":" + tag + " as " + announced + " but has no such manifest");
            }
        }
        local.tag(repository, tag, current);
        markValidated(repository, tag);
    }

    /** Fetches a manifest by tag or digest, checks its bytes, records it; returns its digest. */
    private Digest fetchManifest(Upstreams.Source source, RepositoryName repository, Reference reference) throws IOException {
        String up = source.upstreamName(repository);
        upstreamManifestFetches.incrementAndGet();
        Optional<ManifestResponse> response = source.client().manifest(up, reference.toString());
        source.record(null);
        if (response.isEmpty()) {
            if (reference instanceof Digest) {
                return null; // unknown upstream too: the registry answers 404
            }
            throw new IOException("upstream lost " + up + ":" + reference + " between HEAD and GET");
        }
        byte[] raw = response.get().bytes();
        Digest digest;
        if (reference instanceof Digest wanted) {
            digest = Digest.of(wanted.algorithm(), raw);
            if (!digest.equals(wanted)) {
                throw badContent(source, up + "@" + wanted + " arrived as " + digest);
            }
        } else {
            digest = Digest.sha256(raw);
            String header = response.get().digestHeader();
            if (header != null && Digest.parse(header).algorithm() == digest.algorithm() && !Digest.parse(header).equals(digest)) {
                throw badContent(source, up + ":" + reference + " is announced as " + header + " but hashes to " + digest);
            }
        }
        try {
            local.putCached(repository, digest, raw, response.get().mediaType());
        } catch (OciException e) {
            throw badContent(source, up + ":" + reference + " is not a manifest this registry accepts: " + e.getMessage());
        }
        return digest;
    }

    private static OciException badContent(Upstreams.Source source, String what) {
        return OciException.of(ErrorCode.UNAVAILABLE, "upstream " + source.upstream().name() + " sent bad content: " + what)
                .withStatus(502);
    }

    private static OciException unavailable(Upstreams.Source source, String what, Throwable cause) {
        return OciException.of(ErrorCode.UNAVAILABLE, "upstream " + source.upstream().name() + " cannot be reached for " + what
                + " and it is not cached: " + cause.getMessage()).withCause(cause);
    }

    /**
     * A blob the repository does not hold yet, streamed as it arrives from the upstream.
     *
     * @return empty when the registry should answer from storage: the blob was stored meanwhile, or
     *         the upstream does not have it either (then storage answers 404)
     * @throws OciException {@code UNAVAILABLE} when the upstream cannot be asked
     */
    public Optional<BlobDelivery> openBlob(RepositoryName repository, Digest digest) {
        Optional<Upstreams.Source> found = source(repository);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Upstreams.Source source = found.get();
        if (source.recentlyDown()) {
            throw unavailable(source, repository + "@" + digest, new IOException("it failed moments ago"));
        }
        BlobFetch fetch = flight(source, repository, digest);
        if (fetch == null) {
            return Optional.empty();
        }
        try {
            BlobFetch.State state = fetch.awaitAnswer();
            if (state == BlobFetch.State.FAILED) {
                throw unavailable(source, repository + "@" + digest, fetch.failure());
            }
            return fetch.reader();
        } catch (IOException e) {
            throw unavailable(source, repository + "@" + digest, e);
        }
    }

    /** Fetches a blob into the repository and waits for it (range requests, exports); false when the upstream does not have it. */
    public boolean fetchBlob(RepositoryName repository, Digest digest) {
        Optional<Upstreams.Source> found = source(repository);
        if (found.isEmpty()) {
            return local.hasBlob(repository, digest);
        }
        BlobFetch fetch = flight(found.get(), repository, digest);
        if (fetch == null) {
            return true;
        }
        try {
            return fetch.awaitEnd(Duration.ofHours(6));
        } catch (IOException e) {
            throw unavailable(found.get(), repository + "@" + digest, e);
        }
    }

    /** The size of a blob the repository does not hold, asked of the upstream ({@code HEAD}); empty when it has none. */
    public OptionalLong blobSize(RepositoryName repository, Digest digest) {
        Optional<Upstreams.Source> found = source(repository);
        if (found.isEmpty()) {
            return OptionalLong.empty();
        }
        Upstreams.Source source = found.get();
        try {
            OptionalLong size = source.client().headBlob(source.upstreamName(repository), digest.toString());
            source.record(null);
            return size;
        } catch (IOException e) {
            source.record(e);
            throw unavailable(source, repository + "@" + digest, e);
        }
    }

    /**
     * The fetch of this blob in progress, joined or started; null when the repository holds the blob
     * (checked inside the map's atomic step, so a fetch that just ended is never repeated).
     */
    private BlobFetch flight(Upstreams.Source source, RepositoryName repository, Digest digest) {
        BlobKey key = new BlobKey(repository, digest);
        BlobFetch[] started = {null};
        BlobFetch fetch = blobFlights.computeIfAbsent(key, k -> {
            if (local.hasBlob(repository, digest)) {
                return null;
            }
            BlobFetch f = new BlobFetch(repository, digest, spoolDir.resolve(digest.hex() + "-" + UUID.randomUUID()), STALL);
            started[0] = f;
            return f;
        });
        if (started[0] != null) {
            BlobFetch f = started[0];
            String up = source.upstreamName(repository);
            upstreamBlobFetches.incrementAndGet();
            fetchers.execute(() -> {
                try {
                    f.run(new BlobFetch.Transfer() {
                        @Override
                        public Optional<dev.akua.registry.remote.oci.BlobResponse> open() throws IOException {
                            return source.client().blob(up, digest.toString(), limits.maxBlobBytes());
                        }

                        @Override
                        public LocalContent.BlobSink sink(long declaredSize) throws IOException {
                            return local.openSink(repository, digest, declaredSize, limits.maxBlobBytes());
                        }
                    });
                    source.record(f.failure());
                } finally {
                    blobFlights.remove(key, f);
                }
            });
        }
        return fetch;
    }

    /**
     * Tags of a repository as {@code tags/list} should show them: the upstream's when it answers
     * (with the cached ones), empty when it cannot be asked (the registry then lists storage).
     */
    public Optional<List<Tag>> tags(RepositoryName repository) {
        Optional<Upstreams.Source> found = source(repository);
        if (found.isEmpty() || found.get().recentlyDown()) {
            return Optional.empty();
        }
        Upstreams.Source source = found.get();
        try {
            TreeSet<String> names = new TreeSet<>(source.client().tags(source.upstreamName(repository), limits.maxTags()));
            source.record(null);
            local.storage().tags().list(repository).forEach(t -> names.add(t.value()));
            List<Tag> out = new ArrayList<>();
            for (String n : names) {
                if (Tag.isValid(n)) {
                    out.add(new Tag(n));
                }
            }
            return Optional.of(out);
        } catch (IOException e) {
            source.record(e);
            LOG.log(Level.INFO, "listing tags of " + repository + " at upstream " + source.upstream().name() + " failed; listing the cache", e);
            return Optional.empty();
        }
    }

    /** What a stored tag was last checked against (tests, diagnostics). */
    Optional<Revision> cached(RepositoryName repository, Tag tag) {
        return local.storage().manifests().resolve(repository, tag);
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }
}
