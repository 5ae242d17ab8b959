package dev.akua.registry.storage;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.manifest.PutResult;
import dev.akua.registry.storage.manifest.StoredManifest;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import dev.akua.registry.storage.upload.ChunkRange;
import dev.akua.registry.storage.upload.UploadState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The content stores' behaviour over any driver: uploads, manifests, tags, referrers, catalog.
 */
public abstract class ContentStoresContract {
    protected static final RepositoryName REPO = RepositoryName.parse("acme/charts/app");
    protected StorageDriver driver;
    protected RegistryStorage storage;

    protected abstract StorageDriver newDriver() throws Exception;

    @BeforeEach
    void setUpStores() throws Exception {
        driver = newDriver();
        storage = newStorage();
    }

    /** A second set of stores over the same driver: what a restarted process or another replica sees. */
    protected RegistryStorage newStorage() {
        return new RegistryStorage(driver, new StorageOptions(4 * 1024 * 1024, Duration.ofSeconds(5), 1 << 20),
                new ManifestParser(), JsonMapper.builder().build(), Clock.systemUTC());
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    /** Pushes a blob monolithically and returns its digest. */
    protected Digest pushBlob(RepositoryName repo, byte[] content) {
        UploadState up = storage.uploads().start(repo, DigestAlgorithm.SHA256);
        Digest d = Digest.sha256(content);
        return storage.uploads().complete(repo, up.id(), d, in(content), null, content.length);
    }

    protected String imageManifest(Digest config, long configSize, Digest layer, long layerSize, String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + configSize + ",\"digest\":\"" + config + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + layerSize + ",\"digest\":\"" + layer + "\"}]"
                + extra + "}";
    }

    protected PutResult pushImage(RepositoryName repo, String tag, String extra) {
        byte[] config = utf8("{\"architecture\":\"amd64\"}");
        byte[] layer = utf8("layer bytes " + tag + extra);
        Digest c = pushBlob(repo, config);
        Digest l = pushBlob(repo, layer);
        byte[] manifest = utf8(imageManifest(c, config.length, l, layer.length, extra));
        return storage.manifests().put(repo, tag == null ? Digest.sha256(manifest) : Tag.parse(tag), manifest,
                MediaTypes.OCI_MANIFEST, List.of());
    }

    // --- uploads -----------------------------------------------------------------------------

    @Test
    void upload_bodyLongerThanRange_isSizeInvalidAndKeepsOnlyTheRange() {
        byte[] all = utf8("0123456789abcdef");
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        assertEquals("0-0", up.rangeHeader());
        OciException e = assertThrows(OciException.class,
                () -> storage.uploads().append(REPO, up.id(), in(all), new ChunkRange(0, 9), -1));
        assertEquals(ErrorCode.SIZE_INVALID, e.code());
        assertEquals(10, storage.uploads().status(REPO, up.id()).size());
    }

    @Test
    void upload_bodyShorterThanContentLength_isSizeInvalid() {
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        OciException e = assertThrows(OciException.class,
                () -> storage.uploads().append(REPO, up.id(), in(utf8("abc")), null, 10));
        assertEquals(ErrorCode.SIZE_INVALID, e.code());
        assertEquals(3, storage.uploads().status(REPO, up.id()).size(), "what arrived is kept for a resume");
    }

    @Test
    void upload_contentLengthDisagreesWithRange_isRefusedBeforeWriting() {
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        OciException e = assertThrows(OciException.class,
                () -> storage.uploads().append(REPO, up.id(), in(utf8("abc")), new ChunkRange(0, 2), 5));
        assertEquals(ErrorCode.BLOB_UPLOAD_INVALID, e.code());
        assertEquals(0, storage.uploads().status(REPO, up.id()).size());
    }

    @Test
    void upload_chunkedThenComplete_blobReadable() throws Exception {
        byte[] a = utf8("first chunk;");
        byte[] b = utf8("second chunk");
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        UploadState s = storage.uploads().append(REPO, up.id(), in(a), new ChunkRange(0, a.length - 1), a.length);
        assertEquals("0-" + (a.length - 1), s.rangeHeader());
        s = storage.uploads().append(REPO, up.id(), in(b), null, -1);
        assertEquals(a.length + b.length, s.size());
        byte[] all = utf8("first chunk;second chunk");
        Digest d = storage.uploads().complete(REPO, up.id(), Digest.sha256(all), null, null, -1);
        assertTrue(storage.links().isLinked(REPO, d));
        try (InputStream stream = storage.blobs().open(d, 0)) {
            assertArrayEquals(all, stream.readAllBytes());
        }
        assertEquals(BlobUploadGone.YES, uploadGone(up.id()));
    }

    /**
     * A blob pushed again (akua re-uploads what a registry already has, wire contract §10) is linked
     * into the new repository and its session ends at once; the redundant bytes leave storage after
     * the answer, not before it.
     */
    @Test
    void upload_rePushOfStoredBlob_linksItEndsTheSessionAndDropsTheCopy() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(3).nextBytes(content);
        Digest d = pushBlob(REPO, content);
        RepositoryName other = RepositoryName.parse("team/other");
        UploadState up = storage.uploads().start(other, DigestAlgorithm.SHA256);
        assertEquals(d, storage.uploads().complete(other, up.id(), d, in(content), null, content.length));
        assertTrue(storage.links().isLinked(other, d));
        assertEquals(BlobUploadGone.YES, uploadGone(other, up.id()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!uploadObjects(other).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the redundant upload data is still there after 10 s");
            Thread.sleep(20);
        }
        try (InputStream stream = storage.blobs().open(d, 0)) {
            assertArrayEquals(content, stream.readAllBytes());
        }
    }

    private enum BlobUploadGone { YES, NO }

    private List<String> uploadObjects(RepositoryName repo) throws java.io.IOException {
        List<String> found = new java.util.ArrayList<>();
        driver.walk(dev.akua.registry.storage.layout.Layout.uploadsDir(repo), info -> found.add(info.path()));
        return found;
    }

    private BlobUploadGone uploadGone(String id) {
        return uploadGone(REPO, id);
    }

    private BlobUploadGone uploadGone(RepositoryName repo, String id) {
        try {
            storage.uploads().status(repo, id);
            return BlobUploadGone.NO;
        } catch (OciException e) {
            assertEquals(ErrorCode.BLOB_UPLOAD_UNKNOWN, e.code());
            return BlobUploadGone.YES;
        }
    }

    /**
     * Chunks on both sides of the 5 MiB object-store part minimum, a small one between large ones
     * and a small last one: what an S3 driver must assemble into one object byte-exactly.
     */
    @Test
    void upload_mixedChunkSizes_assembledByteExact() throws Exception {
        int mib = 1024 * 1024;
        int[] sizes = {6 * mib, mib + 7, 5 * mib + 3, 11, 6 * mib - 5, 12_345};
        int total = java.util.Arrays.stream(sizes).sum();
        byte[] all = new byte[total];
        new java.util.Random(11).nextBytes(all);
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            byte[] chunk = java.util.Arrays.copyOfRange(all, offset, offset + sizes[i]);
            RegistryStorage stores = i % 2 == 0 ? storage : newStorage(); // alternate "replicas"
            stores.uploads().append(REPO, up.id(), in(chunk), new ChunkRange(offset, offset + sizes[i] - 1), sizes[i]);
            offset += sizes[i];
        }
        Digest d = Digest.sha256(all);
        assertEquals(d, newStorage().uploads().complete(REPO, up.id(), d, null, null, -1));
        assertEquals(total, storage.blobs().stat(d).orElseThrow().size());
        try (InputStream stream = storage.blobs().open(d, 0)) {
            assertArrayEquals(all, stream.readAllBytes());
        }
        try (InputStream stream = storage.blobs().open(d, 6L * mib - 3)) {
            assertArrayEquals(java.util.Arrays.copyOfRange(all, 6 * mib - 3, 6 * mib + 17), stream.readNBytes(20));
        }
    }

    @Test
    void upload_outOfOrderChunk_is416WithCurrentRange() {
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        storage.uploads().append(REPO, up.id(), in(utf8("abcd")), new ChunkRange(0, 3), 4);
        OciException e = assertThrows(OciException.class,
                () -> storage.uploads().append(REPO, up.id(), in(utf8("zz")), new ChunkRange(10, 11), 2));
        assertEquals(416, e.status());
        assertEquals(ErrorCode.BLOB_UPLOAD_INVALID, e.code());
        assertEquals("0-3", e.headers().get("Range"));
        assertEquals(4, storage.uploads().status(REPO, up.id()).size(), "a refused chunk changes nothing");
    }

    @Test
    void upload_wrongDigest_isDigestInvalidAndDiscarded() {
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        Digest wrong = Digest.sha256(utf8("something else"));
        OciException e = assertThrows(OciException.class,
                () -> storage.uploads().complete(REPO, up.id(), wrong, in(utf8("content")), null, 7));
        assertEquals(ErrorCode.DIGEST_INVALID, e.code());
        assertTrue(storage.blobs().stat(wrong).isEmpty());
        assertFalse(storage.links().isLinked(REPO, wrong));
        assertEquals(BlobUploadGone.YES, uploadGone(up.id()));
    }

    @Test
    void upload_resumedByAnotherProcess_hashesWholeContent() {
        byte[] a = utf8("part one / ");
        byte[] b = utf8("part two");
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        storage.uploads().append(REPO, up.id(), in(a), null, -1);
        RegistryStorage restarted = newStorage();
        assertEquals(a.length, restarted.uploads().status(REPO, up.id()).size());
        restarted.uploads().append(REPO, up.id(), in(b), new ChunkRange(a.length, a.length + b.length - 1), b.length);
        Digest d = Digest.sha256(utf8("part one / part two"));
        assertEquals(d, restarted.uploads().complete(REPO, up.id(), d, null, null, -1));
    }

    @Test
    void upload_sha512_verifiedWithSha512() throws Exception {
        byte[] content = utf8("sha512 content");
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA512);
        Digest d = Digest.of(DigestAlgorithm.SHA512, content);
        assertEquals(d, storage.uploads().complete(REPO, up.id(), d, in(content), null, content.length));
        try (InputStream stream = storage.blobs().open(d, 0)) {
            assertArrayEquals(content, stream.readAllBytes());
        }
    }

    @Test
    void upload_sha256SessionCompletedWithSha512_rehashes() {
        byte[] content = utf8("mixed algorithm");
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        Digest d = Digest.of(DigestAlgorithm.SHA512, content);
        assertEquals(d, storage.uploads().complete(REPO, up.id(), d, in(content), null, content.length));
    }

    @Test
    void upload_emptyBlob_isStored() {
        Digest d = pushBlob(REPO, new byte[0]);
        assertEquals(0, storage.blobs().stat(d).orElseThrow().size());
    }

    @Test
    void upload_cancel_forgetsSession() {
        UploadState up = storage.uploads().start(REPO, DigestAlgorithm.SHA256);
        storage.uploads().cancel(REPO, up.id());
        assertEquals(BlobUploadGone.YES, uploadGone(up.id()));
    }

    @Test
    void upload_unknownOrMalformedId_isUploadUnknown() {
        assertEquals(BlobUploadGone.YES, uploadGone("00000000-0000-4000-8000-000000000000"));
        assertEquals(BlobUploadGone.YES, uploadGone("../../blobs"));
    }

    @Test
    void upload_sameBlobConcurrently_bothSucceed() throws Exception {
        byte[] content = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(content);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Digest>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> pushBlob(REPO, content)));
            }
            for (Future<Digest> f : results) {
                assertEquals(Digest.sha256(content), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        try (InputStream stream = storage.blobs().open(Digest.sha256(content), 0)) {
            assertArrayEquals(content, stream.readAllBytes());
        }
    }

    // --- manifests and tags ------------------------------------------------------------------

    @Test
    void manifest_putByTag_servedByteExact() {
        PutResult put = pushImage(REPO, "1.0.0", "");
        StoredManifest got = storage.manifests().get(REPO, Tag.parse("1.0.0")).orElseThrow();
        assertEquals(put.digest(), got.revision().digest());
        assertEquals(put.digest(), Digest.sha256(got.bytes()));
        assertEquals(MediaTypes.OCI_MANIFEST, got.revision().mediaType());
        assertEquals(List.of(Tag.parse("1.0.0")), storage.tags().list(REPO));
    }

    @Test
    void manifest_seenByAnotherProcess() {
        PutResult put = pushImage(REPO, "v1", "");
        RegistryStorage other = newStorage();
        assertEquals(put.digest(), other.manifests().resolve(REPO, Tag.parse("v1")).orElseThrow().digest());
    }

    @Test
    void manifest_missingBlob_isManifestBlobUnknown() {
        Digest missing = Digest.sha256(utf8("never pushed"));
        byte[] config = utf8("{}");
        Digest c = pushBlob(REPO, config);
        byte[] m = utf8(imageManifest(c, 2, missing, 12, ""));
        OciException e = assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, Tag.parse("x"), m, MediaTypes.OCI_MANIFEST, List.of()));
        assertEquals(ErrorCode.MANIFEST_BLOB_UNKNOWN, e.code());
        assertTrue(storage.tags().resolve(REPO, Tag.parse("x")).isEmpty(), "nothing stored");
    }

    @Test
    void manifest_blobOnlyInOtherRepository_isManifestBlobUnknown() {
        RepositoryName other = RepositoryName.parse("other");
        byte[] config = utf8("{}");
        Digest c = pushBlob(other, config);
        Digest l = pushBlob(REPO, utf8("L"));
        byte[] m = utf8(imageManifest(c, 2, l, 1, ""));
        assertEquals(ErrorCode.MANIFEST_BLOB_UNKNOWN, assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, Tag.parse("x"), m, MediaTypes.OCI_MANIFEST, List.of())).code());
    }

    @Test
    void manifest_wrongDescriptorSize_isManifestInvalid() {
        Digest c = pushBlob(REPO, utf8("{}"));
        Digest l = pushBlob(REPO, utf8("L"));
        byte[] m = utf8(imageManifest(c, 2, l, 999, ""));
        assertEquals(ErrorCode.MANIFEST_INVALID, assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, Tag.parse("x"), m, MediaTypes.OCI_MANIFEST, List.of())).code());
    }

    @Test
    void manifest_putByWrongDigest_isDigestInvalid() {
        Digest c = pushBlob(REPO, utf8("{}"));
        Digest l = pushBlob(REPO, utf8("L"));
        byte[] m = utf8(imageManifest(c, 2, l, 1, ""));
        Digest wrong = Digest.sha256(utf8("x"));
        assertEquals(ErrorCode.DIGEST_INVALID, assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, wrong, m, MediaTypes.OCI_MANIFEST, List.of())).code());
    }

    @Test
    void manifest_tooLarge_is413() {
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        OciException e = assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, Tag.parse("big"), huge, MediaTypes.OCI_MANIFEST, List.of()));
        assertEquals(413, e.status());
    }

    @Test
    void manifest_indexNeedsChildrenInRepository() {
        PutResult child = pushImage(REPO, null, "");
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":%d,\"digest\":\"%s\"}]}";
        long size = storage.manifests().revision(REPO, child.digest()).orElseThrow().size();
        byte[] ok = utf8(String.format(index, size, child.digest()));
        PutResult put = storage.manifests().put(REPO, Tag.parse("multi"), ok, MediaTypes.OCI_INDEX, List.of());
        assertEquals(MediaTypes.OCI_INDEX, storage.manifests().resolve(REPO, Tag.parse("multi")).orElseThrow().mediaType());
        assertEquals(Digest.sha256(ok), put.digest());
        byte[] bad = utf8(String.format(index, 10, Digest.sha256(utf8("absent"))));
        assertEquals(ErrorCode.MANIFEST_BLOB_UNKNOWN, assertThrows(OciException.class,
                () -> storage.manifests().put(REPO, Tag.parse("bad"), bad, MediaTypes.OCI_INDEX, List.of())).code());
    }

    @Test
    void manifest_withSubject_indexedAsReferrerAndRemovedOnDelete() {
        Digest absentSubject = Digest.sha256(utf8("subject pushed later"));
        String subject = ",\"artifactType\":\"application/vnd.example.sbom\",\"subject\":{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"size\":10,\"digest\":\"" + absentSubject + "\"},\"annotations\":{\"k\":\"v\"}";
        PutResult referrer = pushImage(REPO, null, subject);
        assertEquals(absentSubject, referrer.subject());
        List<ReferrerDescriptor> refs = storage.referrers().list(REPO, absentSubject);
        assertEquals(1, refs.size());
        assertEquals(referrer.digest(), refs.getFirst().digest());
        assertEquals("application/vnd.example.sbom", refs.getFirst().artifactType());
        assertEquals(Map.of("k", "v"), refs.getFirst().annotations());
        assertTrue(storage.manifests().delete(REPO, referrer.digest()));
        assertTrue(storage.referrers().list(REPO, absentSubject).isEmpty());
    }

    @Test
    void manifest_withoutArtifactType_referrerUsesConfigMediaType() {
        Digest subject = Digest.sha256(utf8("s"));
        pushImage(REPO, null, ",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":1,\"digest\":\"" + subject + "\"}");
        assertEquals("application/vnd.oci.image.config.v1+json",
                storage.referrers().list(REPO, subject).getFirst().artifactType());
    }

    @Test
    void manifest_deleteByDigest_removesTagsPointingAtIt() {
        PutResult put = pushImage(REPO, "a", "");
        storage.tags().put(REPO, Tag.parse("b"), put.digest());
        PutResult other = pushImage(REPO, "c", ",\"annotations\":{\"o\":\"1\"}");
        assertTrue(storage.manifests().delete(REPO, put.digest()));
        assertTrue(storage.manifests().resolve(REPO, put.digest()).isEmpty());
        assertTrue(storage.manifests().resolve(REPO, Tag.parse("a")).isEmpty());
        assertEquals(List.of(Tag.parse("c")), storage.tags().list(REPO));
        assertEquals(other.digest(), storage.manifests().resolve(REPO, Tag.parse("c")).orElseThrow().digest());
        assertFalse(storage.manifests().delete(REPO, put.digest()));
    }

    @Test
    void manifest_extraTags_allSet() {
        Digest c = pushBlob(REPO, utf8("{}"));
        Digest l = pushBlob(REPO, utf8("L"));
        byte[] m = utf8(imageManifest(c, 2, l, 1, ""));
        PutResult put = storage.manifests().put(REPO, Digest.sha256(m), m, MediaTypes.OCI_MANIFEST,
                List.of(Tag.parse("1.2.3"), Tag.parse("latest")));
        assertEquals(List.of(Tag.parse("1.2.3"), Tag.parse("latest")), put.tags());
        assertEquals(put.digest(), storage.tags().resolve(REPO, Tag.parse("latest")).orElseThrow());
    }

    @Test
    void tag_movedConcurrently_endsOnOneOfThePushedDigests() throws Exception {
        List<Digest> pushed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                fs.add(pool.submit(() -> pushed.add(pushImage(REPO, "moving", ",\"annotations\":{\"n\":\"" + n + "\"}").digest())));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Optional<Digest> now = storage.tags().resolve(REPO, Tag.parse("moving"));
        assertTrue(pushed.contains(now.orElseThrow()));
        assertEquals(now.get(), newStorage().tags().resolve(REPO, Tag.parse("moving")).orElseThrow());
    }

    @Test
    void tag_delete_leavesManifest() {
        PutResult put = pushImage(REPO, "t", "");
        assertTrue(storage.tags().delete(REPO, Tag.parse("t")));
        assertFalse(storage.tags().delete(REPO, Tag.parse("t")));
        assertTrue(storage.manifests().resolve(REPO, put.digest()).isPresent());
        assertTrue(storage.manifests().resolve(REPO, Tag.parse("t")).isEmpty());
    }

    // --- blobs, mounts, catalog --------------------------------------------------------------

    @Test
    void mount_fromRepositoryHoldingBlob_links() {
        RepositoryName source = RepositoryName.parse("source/repo");
        Digest d = pushBlob(source, utf8("shared"));
        assertTrue(storage.mount(REPO, d, source));
        assertTrue(storage.links().isLinked(REPO, d));
        assertFalse(storage.mount(RepositoryName.parse("third"), d, RepositoryName.parse("nowhere")));
        assertFalse(storage.links().isLinked(RepositoryName.parse("third"), d));
    }

    @Test
    void blob_unlink_hidesFromRepositoryOnly() {
        RepositoryName other = RepositoryName.parse("other");
        Digest d = pushBlob(REPO, utf8("both"));
        pushBlob(other, utf8("both"));
        assertTrue(storage.links().unlink(REPO, d));
        assertFalse(storage.links().isReadable(REPO, d));
        assertTrue(storage.links().isReadable(other, d));
        assertFalse(storage.links().unlink(REPO, d));
    }

    @Test
    void manifest_readableFromBlobsEndpoint() {
        PutResult put = pushImage(REPO, "m", "");
        assertTrue(storage.links().isReadable(REPO, put.digest()));
        assertFalse(storage.links().isLinked(REPO, put.digest()));
    }

    @Test
    void catalog_listsNestedRepositoriesSorted() {
        pushBlob(RepositoryName.parse("b"), utf8("1"));
        pushBlob(RepositoryName.parse("a/b"), utf8("2"));
        pushBlob(RepositoryName.parse("a"), utf8("3"));
        pushImage(RepositoryName.parse("a/b/c"), "t", "");
        storage.uploads().start(RepositoryName.parse("only/upload"), DigestAlgorithm.SHA256);
        assertEquals(List.of("a", "a/b", "a/b/c", "b"),
                storage.catalog().all().stream().map(RepositoryName::value).toList());
        assertTrue(storage.catalog().exists(RepositoryName.parse("a/b")));
        assertFalse(storage.catalog().exists(RepositoryName.parse("only/upload")));
    }

    @Test
    void catalog_empty_isEmptyList() {
        assertEquals(List.of(), storage.catalog().all());
    }

    @Test
    void manifestReference_parsesBothForms() {
        PutResult put = pushImage(REPO, "r", "");
        assertTrue(storage.manifests().resolve(REPO, Reference.parse(put.digest().toString())).isPresent());
        assertTrue(storage.manifests().resolve(REPO, Reference.parse("r")).isPresent());
    }
}
