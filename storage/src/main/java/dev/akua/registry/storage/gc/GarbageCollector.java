package dev.akua.registry.storage.gc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.lease.Lease;
import dev.akua.registry.storage.lease.LeaseOptions;
import dev.akua.registry.storage.manifest.Revision;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import dev.akua.registry.storage.trash.Trash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Online mark and sweep: runs while the registry serves pushes and pulls, on any replica.
 *
 * <p><b>Mark.</b> Per repository, the live manifests are the closure of the roots — tagged
 * manifests, manifests younger than the grace period, manifests whose bytes cannot be read (kept
 * to be safe), and with {@link UntaggedPolicy#KEEP} every manifest that is not a referrer — over
 * "index → child" and "subject → referrer" edges. Referrers are manifests with a {@code subject}
 * and the targets of cosign-style sidecar tags ({@code sha256-<hex>.sig|.att|.sbom}, the scheme akua
 * uses, akua-wire-contract §3.3), so referrers of live subjects live and orphaned ones do not.
 * Live blobs are the live manifests' bytes and the blobs they reference.
 *
 * <p><b>Sweep.</b> Dead manifests, sidecar tags of dead subjects and unreferenced blobs are
 * removed only when older than the grace period, re-checked just before each removal; manifests
 * and blobs go to the {@link Trash}, not away.
 *
 * <p><b>Why pushes never lose.</b> Young content (a blob uploaded whose manifest is still to
 * come) is never a candidate. For old content a push re-references (re-push, HEAD then push,
 * mount), collector and push each re-check after their own write: the push verifies after storing
 * its manifest that everything it references is there and restores what the collector just moved
 * (see {@code ManifestStore}); the collector, after its sweep, marks again and restores whatever a
 * present manifest or tag references. Whichever acts second sees the other. A trash batch is
 * purged for good only after the grace period, once nothing present needs it.
 *
 * <p>One collector at a time across replicas (a {@link Lease} in storage); overlapping runs would
 * still be safe, only wasteful.
 */
public final class GarbageCollector {
    public static final String TASK = "gc";
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());
    private static final Pattern SIDECAR = Pattern.compile("(sha256|sha512)-([0-9a-f]{64}|[0-9a-f]{128})\\.(?:sig|att|sbom)");

    private final RegistryStorage storage;
    private final StorageDriver driver;
    private final ManifestParser parser;
    private final GcOptions options;
    private final LeaseOptions lease;
    private final Clock clock;
    private final Trash trash;
    /** Content-addressed: what a manifest references never changes, so entries are true forever. */
    private final Cache<Digest, Refs> refsCache = Caffeine.newBuilder().maximumSize(200_000).build();

    public GarbageCollector(RegistryStorage storage, ManifestParser parser, GcOptions options, LeaseOptions lease, Clock clock) {
        this.storage = storage;
        this.driver = storage.driver();
        this.parser = parser;
        this.options = options;
        this.lease = lease;
        this.clock = clock;
        this.trash = new Trash(driver);
    }

    /** What a manifest references. */
    record Refs(List<Digest> blobs, List<Digest> children, Digest subject, ReferrerDescriptor referrer) {
    }

    record TagState(Digest target, Instant modifiedAt) {
    }

    /** One repository as the mark saw it. */
    static final class RepoState {
        final RepositoryName repo;
        final Map<Digest, Instant> revisions = new LinkedHashMap<>();
        final Map<Tag, TagState> tags = new LinkedHashMap<>();
        final Map<Digest, Refs> refs = new HashMap<>();
        final Set<Digest> unreadable = new HashSet<>();

        RepoState(RepositoryName repo) {
            this.repo = repo;
        }
    }

    record State(List<RepoState> repos, Map<Digest, FileInfo> blobs) {
    }

    record DeadManifest(RepositoryName repo, Digest digest, Refs refs) {
    }

    record OrphanTag(RepositoryName repo, Tag tag, Digest target) {
    }

    record Plan(List<DeadManifest> manifests, List<OrphanTag> tags, List<FileInfo> blobs) {
    }

    public GcReport run(boolean dryRun) throws IOException {
        Instant start = clock.instant();
        Instant cutoff = start.minus(options.grace());
        if (dryRun) {
            Plan plan = plan(mark(), cutoff);
            return report(true, start, plan, plan.manifests(), plan.tags(), plan.blobs(), 0, 0);
        }
        Optional<Lease> acquired = Lease.acquire(driver, TASK, lease, clock);
        if (acquired.isEmpty()) {
            String by = Lease.holderOf(driver, TASK).map(h -> h.id() + " until " + h.expiresAt()).orElse("another collector");
            return GcReport.skipped(start, Duration.between(start, clock.instant()), false, "lease held by " + by);
        }
        Lease held = acquired.get();
        try {
            State state = mark();
            // What is present must be complete before anything is judged: a referenced object found
            // missing (a push that slipped past an earlier run) comes back first.
            int restored = heal(state, List.of());
            Plan plan = plan(state, cutoff);
            held.renew();
            String batch = Trash.batchName(start, lease.holder().replaceAll("[^A-Za-z0-9_.-]", "_"));
            List<OrphanTag> tagsRemoved = new ArrayList<>();
            for (OrphanTag t : plan.tags()) {
                if (removeTag(t, cutoff)) {
                    tagsRemoved.add(t);
                }
            }
            List<DeadManifest> manifestsRemoved = new ArrayList<>();
            for (DeadManifest m : plan.manifests()) {
                if (removeManifest(batch, m, cutoff)) {
                    manifestsRemoved.add(m);
                }
            }
            held.renew();
            List<FileInfo> blobsRemoved = new ArrayList<>();
            for (FileInfo blob : plan.blobs()) {
                if (removeBlob(batch, blob, cutoff)) {
                    blobsRemoved.add(blob);
                }
            }
            held.renew();
            if (!manifestsRemoved.isEmpty() || !blobsRemoved.isEmpty()) {
                restored += heal(mark(), manifestsRemoved); // what pushes during the sweep came to need
            }
            int purged = purgeOldBatches(batch, start);
            return report(false, start, plan, manifestsRemoved, tagsRemoved, blobsRemoved, restored, purged);
        } finally {
            try {
                held.release();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "releasing the gc lease failed; it expires at " + held.expiresAt(), e);
            }
        }
    }

    private GcReport report(boolean dryRun, Instant start, Plan plan, List<DeadManifest> manifests, List<OrphanTag> tags,
                            List<FileInfo> blobs, int restored, int purged) {
        long bytes = blobs.stream().mapToLong(FileInfo::size).sum();
        return new GcReport(dryRun, start, Duration.between(start, clock.instant()), Optional.empty(),
                manifests.stream().map(m -> new GcReport.ManifestRef(m.repo(), m.digest())).toList(),
                tags.stream().map(t -> new GcReport.TagRef(t.repo(), t.tag())).toList(),
                blobs.stream().map(b -> Layout.blobDigestOf(b.path())).toList(), bytes, restored, purged);
    }

    // --- mark ----------------------------------------------------------------------------------

    State mark() throws IOException {
        Map<Digest, FileInfo> blobs = new HashMap<>();
        driver.walk(Layout.BLOBS, info -> {
            Digest d = Layout.blobDigestOf(info.path());
            if (d != null) {
                blobs.put(d, info);
            }
        });
        List<RepoState> repos = new ArrayList<>();
        for (RepositoryName repo : storage.catalog().all()) {
            repos.add(markRepository(repo));
        }
        return new State(repos, blobs);
    }

    private RepoState markRepository(RepositoryName repo) throws IOException {
        RepoState r = new RepoState(repo);
        String revisions = Layout.revisionsDir(repo) + "/";
        driver.walk(Layout.revisionsDir(repo), info -> {
            Digest d = digestOfLink(info.path().substring(revisions.length()));
            if (d != null) {
                r.revisions.put(d, info.modifiedAt());
            }
        });
        String tags = Layout.tagsDir(repo) + "/";
        List<FileInfo> tagLinks = new ArrayList<>();
        driver.walk(Layout.tagsDir(repo), tagLinks::add);
        for (FileInfo info : tagLinks) {
            String[] parts = info.path().substring(tags.length()).split("/");
            if (parts.length != 3 || !parts[1].equals("current") || !parts[2].equals("link") || !Tag.isValid(parts[0])) {
                continue;
            }
            try {
                String text = new String(driver.getContent(info.path()), StandardCharsets.US_ASCII).trim();
                r.tags.put(new Tag(parts[0]), new TagState(Digest.parse(text), info.modifiedAt()));
            } catch (PathNotFoundException e) {
                // deleted while marking
            } catch (OciException e) {
                LOG.warning("tag " + repo + ":" + parts[0] + " holds no digest; ignored by gc");
            }
        }
        for (Digest d : r.revisions.keySet()) {
            Refs refs = refs(repo, d);
            if (refs == null) {
                r.unreadable.add(d);
            } else {
                r.refs.put(d, refs);
            }
        }
        return r;
    }

    /** {@code <alg>/<hex>/link} → digest. */
    private static Digest digestOfLink(String relative) {
        String[] parts = relative.split("/");
        if (parts.length != 3 || !parts[2].equals("link")) {
            return null;
        }
        try {
            return new Digest(DigestAlgorithm.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The manifest's references, or null if its bytes cannot be read or parsed. */
    private Refs refs(RepositoryName repo, Digest d) {
        Refs cached = refsCache.getIfPresent(d);
        if (cached != null) {
            return cached;
        }
        try {
            Optional<Revision> rev = storage.manifests().revision(repo, d);
            if (rev.isEmpty()) {
                return null;
            }
            byte[] raw = storage.blobs().read(d, storage.manifests().maxManifestBytes());
            ManifestContent c = parser.parse(raw, rev.get().mediaType());
            Digest subject = c.subject() == null ? null : c.subject().digest();
            Refs refs = new Refs(c.requiredBlobs().stream().map(Descriptor::digest).toList(),
                    c.manifests().stream().map(Descriptor::digest).toList(), subject,
                    subject == null ? null : new ReferrerDescriptor(c.mediaType(), d, raw.length, c.referrerArtifactType(), c.annotations()));
            refsCache.put(d, refs);
            return refs;
        } catch (OciException e) {
            LOG.log(Level.FINE, "manifest " + repo + "@" + d + " unreadable; kept with everything linked in its repository", e);
            return null;
        }
    }

    static Optional<Digest> sidecarSubject(Tag tag) {
        Matcher m = SIDECAR.matcher(tag.value());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Digest(DigestAlgorithm.parse(m.group(1)), m.group(2)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Plan plan(State state, Instant cutoff) throws IOException {
        Set<Digest> liveBlobs = new HashSet<>();
        List<DeadManifest> dead = new ArrayList<>();
        List<OrphanTag> orphanTags = new ArrayList<>();
        for (RepoState r : state.repos()) {
            Set<Digest> live = live(r, cutoff);
            for (Digest d : r.revisions.keySet()) {
                if (!live.contains(d)) {
                    dead.add(new DeadManifest(r.repo, d, r.refs.get(d)));
                }
            }
            r.tags.forEach((tag, t) -> sidecarSubject(tag).ifPresent(subject -> {
                if (!live.contains(subject) && !t.modifiedAt().isAfter(cutoff)) {
                    orphanTags.add(new OrphanTag(r.repo, tag, t.target()));
                }
            }));
            for (Digest d : live) {
                liveBlobs.add(d);
                Refs refs = r.refs.get(d);
                if (refs != null) {
                    liveBlobs.addAll(refs.blobs());
                }
            }
            if (!r.unreadable.isEmpty()) {
                // cannot tell what those manifests reference: keep everything the repository holds
                String layers = Layout.layersDir(r.repo) + "/";
                driver.walk(Layout.layersDir(r.repo), info -> {
                    Digest d = digestOfLink(info.path().substring(layers.length()));
                    if (d != null) {
                        liveBlobs.add(d);
                    }
                });
            }
        }
        List<FileInfo> blobs = new ArrayList<>();
        state.blobs().forEach((d, info) -> {
            if (!liveBlobs.contains(d) && !info.modifiedAt().isAfter(cutoff)) {
                blobs.add(info);
            }
        });
        return new Plan(dead, orphanTags, blobs);
    }

    /** The closure of the repository's roots over index→child and subject→referrer edges. */
    private Set<Digest> live(RepoState r, Instant cutoff) {
        Set<Digest> present = r.revisions.keySet();
        Map<Digest, List<Digest>> dependents = new HashMap<>();
        r.refs.forEach((d, refs) -> {
            if (refs.subject() != null) {
                dependents.computeIfAbsent(refs.subject(), k -> new ArrayList<>()).add(d);
            }
        });
        Set<Digest> sidecarTargets = new HashSet<>();
        Deque<Digest> roots = new ArrayDeque<>();
        r.tags.forEach((tag, t) -> {
            Optional<Digest> subject = sidecarSubject(tag);
            if (subject.isPresent()) {
                sidecarTargets.add(t.target());
                dependents.computeIfAbsent(subject.get(), k -> new ArrayList<>()).add(t.target());
                if (t.modifiedAt().isAfter(cutoff)) {
                    roots.add(t.target());
                }
            } else {
                roots.add(t.target());
            }
        });
        r.revisions.forEach((d, modified) -> {
            if (modified.isAfter(cutoff) || r.unreadable.contains(d)) {
                roots.add(d);
            }
        });
        if (options.untagged() == UntaggedPolicy.KEEP) {
            r.refs.forEach((d, refs) -> {
                if (refs.subject() == null && !sidecarTargets.contains(d)) {
                    roots.add(d);
                }
            });
        }
        Set<Digest> live = new HashSet<>();
        while (!roots.isEmpty()) {
            Digest d = roots.poll();
            if (!present.contains(d) || !live.add(d)) {
                continue;
            }
            Refs refs = r.refs.get(d);
            if (refs != null) {
                roots.addAll(refs.children());
            }
            roots.addAll(dependents.getOrDefault(d, List.of()));
        }
        return live;
    }

    // --- sweep ---------------------------------------------------------------------------------

    private boolean removeTag(OrphanTag t, Instant cutoff) throws IOException {
        String link = Layout.tagLink(t.repo(), t.tag());
        try {
            FileInfo info = driver.stat(link);
            String now = new String(driver.getContent(link), StandardCharsets.US_ASCII).trim();
            if (info.modifiedAt().isAfter(cutoff) || !now.equals(t.target().toString())) {
                return false; // re-pushed meanwhile
            }
        } catch (PathNotFoundException e) {
            return false;
        }
        return storage.tags().delete(t.repo(), t.tag());
    }

    private boolean removeManifest(String batch, DeadManifest m, Instant cutoff) throws IOException {
        String link = Layout.revisionLink(m.repo(), m.digest());
        try {
            if (driver.stat(link).modifiedAt().isAfter(cutoff)) {
                return false; // pushed again meanwhile
            }
        } catch (PathNotFoundException e) {
            return false;
        }
        boolean moved = trash.discard(batch, link);
        if (moved && m.refs() != null && m.refs().subject() != null) {
            storage.referrers().remove(m.repo(), m.refs().subject(), m.digest());
        }
        storage.manifests().invalidate(m.repo(), m.digest());
        return moved;
    }

    private boolean removeBlob(String batch, FileInfo blob, Instant cutoff) throws IOException {
        try {
            if (driver.stat(blob.path()).modifiedAt().isAfter(cutoff)) {
                return false;
            }
        } catch (PathNotFoundException e) {
            return false;
        }
        return trash.discard(batch, blob.path());
    }

    // --- heal and purge ------------------------------------------------------------------------

    /**
     * Puts back from the trash whatever a present tag or manifest references but storage lacks —
     * after the sweep, what pushes during it came to depend on — and referrers this run removed
     * whose subject has appeared meanwhile. Updates {@code after} with what it restored.
     */
    private int heal(State after, List<DeadManifest> removedThisRun) throws IOException {
        Set<Digest> blobs = new HashSet<>(after.blobs().keySet());
        Map<RepositoryName, List<DeadManifest>> removedByRepo = new HashMap<>();
        removedThisRun.forEach(m -> removedByRepo.computeIfAbsent(m.repo(), k -> new ArrayList<>()).add(m));
        int restored = 0;
        for (RepoState r : after.repos()) {
            Deque<Digest> needed = new ArrayDeque<>();
            r.tags.values().forEach(t -> needed.add(t.target()));
            r.refs.values().forEach(refs -> needed.addAll(refs.children()));
            for (DeadManifest m : removedByRepo.getOrDefault(r.repo, List.of())) {
                if (m.refs() != null && m.refs().subject() != null && r.revisions.containsKey(m.refs().subject())) {
                    needed.add(m.digest());
                }
            }
            Deque<Digest> check = new ArrayDeque<>(r.revisions.keySet());
            while (!needed.isEmpty() || !check.isEmpty()) {
                while (!needed.isEmpty()) {
                    Digest d = needed.poll();
                    if (r.revisions.containsKey(d)) {
                        continue;
                    }
                    if (trash.restore(Layout.revisionLink(r.repo, d))) {
                        restored++;
                        storage.manifests().invalidate(r.repo, d);
                        r.revisions.put(d, clock.instant());
                        Refs refs = refs(r.repo, d);
                        if (refs != null) {
                            r.refs.put(d, refs);
                            needed.addAll(refs.children());
                            if (refs.referrer() != null) {
                                storage.referrers().add(r.repo, refs.subject(), refs.referrer());
                            }
                        }
                        check.add(d);
                    }
                }
                while (!check.isEmpty()) {
                    Digest d = check.poll();
                    if (!blobs.contains(d) && trash.restore(Layout.blobData(d))) {
                        restored++; // the manifest's own bytes
                        blobs.add(d);
                    }
                    Refs refs = r.refs.get(d);
                    if (refs == null) {
                        refs = refs(r.repo, d);
                    }
                    if (refs == null) {
                        continue;
                    }
                    r.refs.put(d, refs);
                    needed.addAll(refs.children());
                    for (Digest b : refs.blobs()) {
                        if (!blobs.contains(b) && trash.restore(Layout.blobData(b))) {
                            restored++;
                            blobs.add(b);
                        }
                    }
                }
            }
        }
        if (restored > 0) {
            LOG.info("gc put back " + restored + " object(s) that pushes during the sweep referenced");
        }
        return restored;
    }

    /** Deletes trash batches older than the grace period (the current run's heal already took back what is needed). */
    private int purgeOldBatches(String current, Instant start) throws IOException {
        int purged = 0;
        Instant limit = start.minus(options.grace());
        for (String batch : trash.batches()) {
            Optional<Instant> created = Trash.batchTime(batch);
            if (batch.equals(current) || created.isEmpty() || created.get().isAfter(limit)) {
                continue;
            }
            trash.purge(batch);
            purged++;
        }
        return purged;
    }
}
