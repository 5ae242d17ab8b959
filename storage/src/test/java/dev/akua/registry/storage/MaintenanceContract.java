package dev.akua.registry.storage;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.gc.GarbageCollector;
import dev.akua.registry.storage.gc.GcOptions;
import dev.akua.registry.storage.gc.GcReport;
import dev.akua.registry.storage.gc.UntaggedPolicy;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.lease.LeaseOptions;
import dev.akua.registry.storage.manifest.PutResult;
import dev.akua.registry.storage.purge.PurgeReport;
import dev.akua.registry.storage.purge.UploadPurge;
import dev.akua.registry.storage.scrub.ScrubReport;
import dev.akua.registry.storage.scrub.Scrubber;
import dev.akua.registry.storage.trash.Trash;
import dev.akua.registry.storage.upload.UploadState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage collection, scrub and upload purge over any driver. Objects get real modification times
 * from the driver; the maintenance tasks run with a clock ahead of real time, so "older than the
 * grace period" is decided by how far ahead.
 */
public abstract class MaintenanceContract {
    protected static final RepositoryName REPO = RepositoryName.parse("team/app");
    protected static final Duration GRACE = Duration.ofMinutes(10);
    protected StorageDriver driver;
    protected RegistryStorage storage;
    private final MutableClock clock = new MutableClock(Instant.now());

    protected abstract StorageDriver newDriver() throws Exception;

    @BeforeEach
    void setUpMaintenance() throws Exception {
        driver = newDriver();
        storage = new RegistryStorage(driver, new StorageOptions(4 * 1024 * 1024, Duration.ofSeconds(5), 1 << 20),
                new ManifestParser(), JsonMapper.builder().build(), Clock.systemUTC());
    }

    /** Moves the maintenance clock {@code ahead} past real time. */
    private void later(Duration ahead) {
        clock.set(Instant.now().plus(ahead));
    }

    private LeaseOptions lease() {
        return new LeaseOptions("test-holder", Duration.ofMinutes(1), Duration.ofMillis(10));
    }

    private GarbageCollector collector(UntaggedPolicy policy) {
        return new GarbageCollector(storage, new ManifestParser(), new GcOptions(GRACE, policy), lease(), clock);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    private Digest pushBlob(RepositoryName repo, byte[] content) {
        UploadState up = storage.uploads().start(repo, DigestAlgorithm.SHA256);
        return storage.uploads().complete(repo, up.id(), Digest.sha256(content), in(content), null, content.length);
    }

    private static final byte[] CONFIG = utf8("{\"architecture\":\"amd64\"}");

    private PutResult pushImage(RepositoryName repo, String tag, String layerText, String extra) {
        byte[] layer = utf8(layerText);
        Digest c = pushBlob(repo, CONFIG);
        Digest l = pushBlob(repo, layer);
        byte[] m = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + CONFIG.length + ",\"digest\":\"" + c + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layer.length + ",\"digest\":\"" + l + "\"}]"
                + extra + "}");
        return storage.manifests().put(repo, tag == null ? Digest.sha256(m) : Tag.parse(tag), m, MediaTypes.OCI_MANIFEST, List.of());
    }

    private String subject(PutResult s) {
        long size = storage.manifests().revision(REPO, s.digest()).orElseThrow().size();
        return ",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":" + size + ",\"digest\":\"" + s.digest() + "\"}";
    }

    private boolean blobPresent(String text) {
        return storage.blobs().stat(Digest.sha256(utf8(text))).isPresent();
    }

    private boolean manifestPresent(Digest d) {
        return storage.manifests().resolve(REPO, d).isPresent();
    }

    // --- garbage collection --------------------------------------------------------------------

    @Test
    void gc_youngContent_neverCollected() throws Exception {
        pushBlob(REPO, utf8("uploaded, manifest still to come"));
        PutResult untagged = pushImage(REPO, null, "young untagged", "");
        later(Duration.ZERO);
        GcReport report = collector(UntaggedPolicy.DELETE).run(false);
        assertEquals(List.of(), report.blobs(), report::summary);
        assertEquals(List.of(), report.manifests());
        assertTrue(blobPresent("uploaded, manifest still to come"));
        assertTrue(manifestPresent(untagged.digest()));
    }

    @Test
    void gc_unreferencedOldBlob_trashedAndTaggedImageKept() throws Exception {
        PutResult tagged = pushImage(REPO, "1.0.0", "tagged layer", "");
        pushBlob(REPO, utf8("abandoned blob"));
        later(GRACE.plusMinutes(1));
        GcReport report = collector(UntaggedPolicy.KEEP).run(false);
        assertEquals(List.of(Digest.sha256(utf8("abandoned blob"))), report.blobs(), report::summary);
        assertFalse(blobPresent("abandoned blob"));
        assertTrue(blobPresent("tagged layer"));
        assertTrue(manifestPresent(tagged.digest()));
        assertTrue(storage.blobs().stat(tagged.digest()).isPresent(), "the manifest's own bytes stay");
        assertEquals(1, new Trash(driver).batches().size());
    }

    @Test
    void gc_untaggedPolicy_decidesUntaggedManifests() throws Exception {
        pushImage(REPO, "kept", "shared-ish layer", "");
        PutResult untagged = pushImage(REPO, null, "untagged layer", "");
        later(GRACE.plusMinutes(1));
        GcReport keep = collector(UntaggedPolicy.KEEP).run(false);
        assertEquals(List.of(), keep.manifests());
        assertTrue(manifestPresent(untagged.digest()));

        GcReport delete = collector(UntaggedPolicy.DELETE).run(false);
        assertEquals(List.of(new GcReport.ManifestRef(REPO, untagged.digest())), delete.manifests(), delete::summary);
        assertFalse(manifestPresent(untagged.digest()));
        assertFalse(blobPresent("untagged layer"));
        assertFalse(storage.blobs().stat(untagged.digest()).isPresent());
        assertTrue(blobPresent("shared-ish layer"));
        assertTrue(storage.blobs().stat(Digest.sha256(CONFIG)).isPresent(), "the config both images share stays");
    }

    @Test
    void gc_referrersOfLiveSubjects_keptAndOrphansRemoved() throws Exception {
        PutResult subject = pushImage(REPO, "v1", "subject layer", "");
        PutResult sbom = pushImage(REPO, null, "sbom layer", ",\"artifactType\":\"application/spdx+json\"" + subject(subject));
        Digest absent = Digest.sha256(utf8("a subject that was deleted"));
        PutResult orphan = pushImage(REPO, null, "orphan layer",
                ",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":10,\"digest\":\"" + absent + "\"}");
        // cosign/akua tag scheme: sha256-<hex>.sig
        PutResult sig = pushImage(REPO, subject.digest().tagForm() + ".sig", "signature layer", "");
        PutResult orphanSig = pushImage(REPO, absent.tagForm() + ".sig", "orphan signature layer", "");
        later(GRACE.plusMinutes(1));

        GcReport report = collector(UntaggedPolicy.KEEP).run(false);

        assertTrue(manifestPresent(subject.digest()));
        assertTrue(manifestPresent(sbom.digest()), "referrer of a live subject is kept");
        assertEquals(List.of(sbom.digest()), storage.referrers().list(REPO, subject.digest()).stream().map(r -> r.digest()).toList());
        assertTrue(manifestPresent(sig.digest()), "sidecar of a live subject is kept");
        assertTrue(storage.tags().resolve(REPO, Tag.parse(subject.digest().tagForm() + ".sig")).isPresent());

        assertFalse(manifestPresent(orphan.digest()), "orphaned referrer removed");
        assertEquals(List.of(), storage.referrers().list(REPO, absent), "and its referrers-index entry");
        assertFalse(blobPresent("orphan layer"));
        assertTrue(storage.tags().resolve(REPO, Tag.parse(absent.tagForm() + ".sig")).isEmpty(), "orphaned sidecar tag removed");
        assertFalse(manifestPresent(orphanSig.digest()), "and its manifest");
        assertFalse(blobPresent("orphan signature layer"));
        assertEquals(1, report.sidecarTags().size(), report::summary);
    }

    @Test
    void gc_deletedSubject_takesItsReferrersAlong() throws Exception {
        PutResult subject = pushImage(REPO, "v2", "subject v2 layer", "");
        PutResult sbom = pushImage(REPO, null, "sbom v2 layer", subject(subject));
        assertTrue(storage.manifests().delete(REPO, subject.digest()));
        later(GRACE.plusMinutes(1));
        collector(UntaggedPolicy.KEEP).run(false);
        assertFalse(manifestPresent(sbom.digest()));
        assertFalse(blobPresent("sbom v2 layer"));
        assertFalse(blobPresent("subject v2 layer"));
    }

    @Test
    void gc_indexChildren_liveWhileIndexIsTagged() throws Exception {
        PutResult child = pushImage(REPO, null, "child layer", "");
        long size = storage.manifests().revision(REPO, child.digest()).orElseThrow().size();
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":" + size + ",\"digest\":\"" + child.digest() + "\"}]}");
        storage.manifests().put(REPO, Tag.parse("multi"), index, MediaTypes.OCI_INDEX, List.of());
        later(GRACE.plusMinutes(1));
        collector(UntaggedPolicy.DELETE).run(false);
        assertTrue(manifestPresent(child.digest()));
        assertTrue(blobPresent("child layer"));

        assertTrue(storage.tags().delete(REPO, Tag.parse("multi")));
        collector(UntaggedPolicy.DELETE).run(false);
        assertFalse(manifestPresent(child.digest()));
        assertFalse(manifestPresent(Digest.sha256(index)));
    }

    @Test
    void gc_dryRun_reportsWithoutChanging() throws Exception {
        PutResult untagged = pushImage(REPO, null, "dry layer", "");
        later(GRACE.plusMinutes(1));
        GcReport report = collector(UntaggedPolicy.DELETE).run(true);
        assertTrue(report.dryRun());
        assertEquals(List.of(new GcReport.ManifestRef(REPO, untagged.digest())), report.manifests());
        assertTrue(report.blobs().contains(Digest.sha256(utf8("dry layer"))), report::summary);
        assertTrue(manifestPresent(untagged.digest()));
        assertTrue(blobPresent("dry layer"));
        assertEquals(List.of(), new Trash(driver).batches());
    }

    @Test
    void gc_trashedBlob_pushReferencingItRestoresIt() throws Exception {
        byte[] layer = utf8("seen by a HEAD before the sweep");
        Digest l = pushBlob(REPO, layer);
        Digest c = pushBlob(REPO, CONFIG);
        later(GRACE.plusMinutes(1));
        GcReport report = collector(UntaggedPolicy.KEEP).run(false);
        assertTrue(report.blobs().contains(l), report::summary);
        assertFalse(storage.blobs().stat(l).isPresent());
        // the client saw the blob before the sweep and pushes its manifest now
        byte[] m = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + CONFIG.length + ",\"digest\":\"" + c + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layer.length + ",\"digest\":\"" + l + "\"}]}");
        storage.manifests().put(REPO, Tag.parse("late"), m, MediaTypes.OCI_MANIFEST, List.of());
        try (InputStream stream = storage.blobs().open(l, 0)) {
            assertArrayEquals(layer, stream.readAllBytes());
        }
        assertTrue(storage.blobs().stat(c).isPresent());
    }

    @Test
    void gc_manifestWrittenBehindItsBack_healedByNextRun() throws Exception {
        Digest l = pushBlob(REPO, utf8("trashed, then referenced"));
        pushBlob(REPO, CONFIG);
        later(GRACE.plusMinutes(1));
        collector(UntaggedPolicy.KEEP).run(false);
        assertFalse(storage.blobs().stat(l).isPresent());
        // a manifest stored without the push path's re-check (as if its write landed after the sweep's last look)
        byte[] layer = utf8("trashed, then referenced");
        byte[] m = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + CONFIG.length + ",\"digest\":\"" + Digest.sha256(CONFIG) + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layer.length + ",\"digest\":\"" + l + "\"}]}");
        Digest md = Digest.sha256(m);
        driver.putContent(Layout.blobData(md), m);
        driver.putContent(Layout.revisionLink(REPO, md), utf8("{\"digest\":\"" + md + "\",\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":" + m.length + "}"));
        driver.putContent(Layout.tagLink(REPO, Tag.parse("behind")), utf8(md.toString()));
        GcReport report = collector(UntaggedPolicy.KEEP).run(false);
        assertTrue(report.restored() >= 1, report::summary);
        assertTrue(storage.blobs().stat(l).isPresent(), "the referenced blob came back from the trash");
    }

    @Test
    void gc_trashBatchOlderThanGrace_purgedForGood() throws Exception {
        pushBlob(REPO, utf8("gone for good"));
        later(GRACE.plusMinutes(1));
        collector(UntaggedPolicy.KEEP).run(false);
        Trash trash = new Trash(driver);
        assertEquals(1, trash.batches().size());
        later(GRACE.multipliedBy(2).plusMinutes(5));
        GcReport second = collector(UntaggedPolicy.KEEP).run(false);
        assertEquals(1, second.purgedBatches(), second::summary);
        assertEquals(List.of(), trash.batches());
        assertFalse(trash.holds(Layout.blobData(Digest.sha256(utf8("gone for good")))));
    }

    @Test
    void gc_leaseHeldByAnotherReplica_skips() throws Exception {
        pushBlob(REPO, utf8("not mine to collect"));
        driver.putContent(Layout.lease(GarbageCollector.TASK),
                utf8("holder=other-replica\nexpiresAt=" + Instant.now().plus(Duration.ofHours(2)) + "\n"));
        later(GRACE.plusMinutes(1));
        GcReport report = collector(UntaggedPolicy.KEEP).run(false);
        assertTrue(report.skipped().isPresent(), report::summary);
        assertTrue(blobPresent("not mine to collect"));
    }

    // --- scrub ---------------------------------------------------------------------------------

    @Test
    void scrub_corruptBlob_quarantinedAndRepairedByRePush() throws Exception {
        byte[] good = utf8("bytes that will rot");
        Digest d = pushBlob(REPO, good);
        pushBlob(REPO, utf8("healthy neighbour"));
        driver.putContent(Layout.blobData(d), utf8("bytes that will ROT")); // bit rot on the medium
        Scrubber scrubber = new Scrubber(driver, lease(), clock);

        ScrubReport dry = scrubber.run(true);
        assertEquals(1, dry.corrupt().size(), dry::summary);
        assertTrue(storage.blobs().stat(d).isPresent(), "a dry run leaves it");

        ScrubReport report = scrubber.run(false);
        assertEquals(List.of(d), report.corrupt().stream().map(ScrubReport.Corrupt::digest).toList(), report::summary);
        assertEquals(2, report.blobsChecked());
        assertFalse(storage.blobs().stat(d).isPresent(), "the bad copy left its digest path");
        assertTrue(driver.exists(Layout.quarantined(Layout.blobData(d))));

        assertEquals(d, pushBlob(REPO, good));
        try (InputStream stream = storage.blobs().open(d, 0)) {
            assertArrayEquals(good, stream.readAllBytes());
        }
        assertEquals(List.of(), scrubber.run(false).corrupt());
    }

    // --- upload purge --------------------------------------------------------------------------

    @Test
    void purge_expiredSessionsOnly() throws Exception {
        UploadState stale = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        storage.uploads().append(REPO, stale.id(), in(utf8("half an upload")), null, -1);
        RepositoryName onlyUploads = RepositoryName.parse("nothing/else/here");
        UploadState lone = storage.uploads().start(onlyUploads, DigestAlgorithm.SHA256);
        later(Duration.ofHours(25));
        UploadPurge purge = new UploadPurge(driver, Duration.ofHours(24), lease(), clock);

        PurgeReport dry = purge.run(true);
        assertEquals(2, dry.sessions().size(), dry::summary);
        assertEquals(List.of(stale.id()), storage.uploads().list(REPO));

        PurgeReport report = purge.run(false);
        assertEquals(2, report.sessions().size());
        assertEquals(List.of(), storage.uploads().list(REPO));
        assertEquals(List.of(), storage.uploads().list(onlyUploads));
        assertFalse(report.sessions().stream().noneMatch(s -> s.id().equals(lone.id())));

        UploadState fresh = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        later(Duration.ofHours(1));
        assertEquals(List.of(), purge.run(false).sessions());
        assertEquals(List.of(fresh.id()), storage.uploads().list(REPO));
    }
}
