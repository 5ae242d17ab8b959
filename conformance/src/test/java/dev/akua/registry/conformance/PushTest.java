package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** distribution-spec "Push": blob uploads in every form, mounts, and manifests of every kind. */
class PushTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static Http http;
    static Oci oci;
    static final String REPO = "conformance/push";

    @BeforeAll
    static void start() {
        registry = TestRegistry.start(root);
        http = new Http(registry.base());
        oci = new Oci(http);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static String startUpload(String repo) {
        Http.Resp r = http.post("/v2/" + repo + "/blobs/uploads/");
        assertEquals(202, r.status(), r::text);
        String location = r.header("Location").orElseThrow();
        assertTrue(location.startsWith("/v2/" + repo + "/blobs/uploads/"), location);
        assertEquals("0-0", r.header("Range").orElseThrow());
        assertTrue(r.header("Docker-Upload-UUID").isPresent());
        return location;
    }

    private static void assertBlob(String repo, Digest d, byte[] content) {
        Http.Resp r = http.get("/v2/" + repo + "/blobs/" + d);
        assertEquals(200, r.status());
        assertArrayEquals(content, r.body());
    }

    @Test
    void monolithic_postThenPut_is201WithBlobLocation() {
        byte[] content = Oci.random(70_000, 2);
        String loc = startUpload(REPO);
        Digest d = Digest.sha256(content);
        Http.Resp r = http.put(Http.withQuery(loc, "digest=" + d), content, "application/octet-stream");
        assertEquals(201, r.status(), r::text);
        assertEquals("/v2/" + REPO + "/blobs/" + d, r.header("Location").orElseThrow());
        assertEquals(d.toString(), r.header("Docker-Content-Digest").orElseThrow());
        assertBlob(REPO, d, content);
    }

    @Test
    void monolithic_singlePost_is201() {
        byte[] content = utf8("single post body");
        Digest d = Digest.sha256(content);
        Http.Resp r = http.post("/v2/" + REPO + "/blobs/uploads/?digest=" + d, content);
        assertEquals(201, r.status(), r::text);
        assertEquals("/v2/" + REPO + "/blobs/" + d, r.header("Location").orElseThrow());
        assertBlob(REPO, d, content);
    }

    @Test
    void monolithic_singlePostWrongDigest_isDigestInvalid() {
        Digest wrong = Digest.sha256(utf8("other"));
        http.post("/v2/" + REPO + "/blobs/uploads/?digest=" + wrong, utf8("content")).assertError(400, "DIGEST_INVALID");
        assertEquals(404, http.head("/v2/" + REPO + "/blobs/" + wrong).status());
    }

    @Test
    void chunked_patchesInOrder_thenPut() {
        byte[] content = Oci.random(300_000, 3);
        String loc = startUpload(REPO);
        int[] cuts = {0, 100_000, 250_000, 300_000};
        for (int i = 0; i + 1 < cuts.length; i++) {
            byte[] chunk = Arrays.copyOfRange(content, cuts[i], cuts[i + 1]);
            Http.Resp r = http.patch(loc, chunk, cuts[i] + "-" + (cuts[i + 1] - 1));
            assertEquals(202, r.status(), r::text);
            assertEquals("0-" + (cuts[i + 1] - 1), r.header("Range").orElseThrow());
            loc = r.header("Location").orElseThrow();
        }
        Digest d = Digest.sha256(content);
        Http.Resp done = http.put(Http.withQuery(loc, "digest=" + d), new byte[0], null);
        assertEquals(201, done.status(), done::text);
        assertBlob(REPO, d, content);
    }

    @Test
    void chunked_outOfOrder_is416AndStatusReportsOffset() {
        String loc = startUpload(REPO);
        assertEquals(202, http.patch(loc, utf8("0123456789"), "0-9").status());
        Http.Resp gap = http.patch(loc, utf8("abc"), "20-22");
        assertEquals(416, gap.status());
        assertEquals("0-9", gap.header("Range").orElseThrow());
        Http.Resp overlap = http.patch(loc, utf8("abc"), "5-7");
        assertEquals(416, overlap.status());
        Http.Resp status = http.get(loc);
        assertEquals(204, status.status());
        assertEquals("0-9", status.header("Range").orElseThrow());
        assertEquals(loc, status.header("Location").orElseThrow());
    }

    @Test
    void chunked_streamedPatchWithoutRangeOrLength_thenPutWithFinalChunk() {
        byte[] first = Oci.random(200_000, 4);
        byte[] last = utf8("final chunk in the PUT");
        String loc = startUpload(REPO);
        // No Content-Length: the JDK client sends the body with chunked transfer encoding.
        Http.Resp r = http.send(http.request(loc).header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(first))));
        assertEquals(202, r.status(), r::text);
        assertEquals("0-" + (first.length - 1), r.header("Range").orElseThrow());
        byte[] all = new byte[first.length + last.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(last, 0, all, first.length, last.length);
        Digest d = Digest.sha256(all);
        Http.Resp done = http.send(http.request(Http.withQuery(r.header("Location").orElseThrow(), "digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", first.length + "-" + (all.length - 1))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(last)));
        assertEquals(201, done.status(), done::text);
        assertBlob(REPO, d, all);
    }

    @Test
    void chunked_finalPutOutOfOrder_is416() {
        String loc = startUpload(REPO);
        http.patch(loc, utf8("abc"), "0-2");
        Http.Resp r = http.send(http.request(Http.withQuery(loc, "digest=" + Digest.sha256(utf8("abcdef"))))
                .header("Content-Range", "4-6").PUT(HttpRequest.BodyPublishers.ofByteArray(utf8("def"))));
        assertEquals(416, r.status());
    }

    @Test
    void upload_closeWithWrongDigest_isDigestInvalidAndSessionGone() {
        String loc = startUpload(REPO);
        http.patch(loc, utf8("content"), "0-6");
        Digest wrong = Digest.sha256(utf8("not the content"));
        http.put(Http.withQuery(loc, "digest=" + wrong), new byte[0], null).assertError(400, "DIGEST_INVALID");
        http.get(loc).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_closeWithoutDigest_isDigestInvalid() {
        String loc = startUpload(REPO);
        http.put(loc, utf8("x"), "application/octet-stream").assertError(400, "DIGEST_INVALID");
        assertEquals(204, http.get(loc).status(), "the session survives a bad close");
    }

    @Test
    void upload_closeWithMalformedDigest_isDigestInvalid() {
        String loc = startUpload(REPO);
        http.put(Http.withQuery(loc, "digest=sha256:zzz"), utf8("x"), "application/octet-stream").assertError(400, "DIGEST_INVALID");
        http.put(Http.withQuery(loc, "digest=md5:d41d8cd98f00b204e9800998ecf8427e"), utf8("x"), "application/octet-stream")
                .assertError(400, "DIGEST_INVALID");
    }

    @Test
    void upload_cancel_is204ThenUnknown() {
        String loc = startUpload(REPO);
        Http.Resp r = http.delete(loc);
        assertEquals(204, r.status());
        http.get(loc).assertError(404, "BLOB_UPLOAD_UNKNOWN");
        http.patch(loc, utf8("x"), "0-0").assertError(404, "BLOB_UPLOAD_UNKNOWN");
        http.delete(loc).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_unknownSession_is404() {
        http.get("/v2/" + REPO + "/blobs/uploads/00000000-0000-4000-8000-000000000000").assertError(404, "BLOB_UPLOAD_UNKNOWN");
        http.get("/v2/" + REPO + "/blobs/uploads/not-a-uuid").assertError(404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_sessionOfAnotherRepository_isUnknown() {
        String loc = startUpload(REPO);
        String id = loc.substring(loc.lastIndexOf('/') + 1);
        http.get("/v2/other/blobs/uploads/" + id).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_sha512_viaDigestAlgorithmParameter() {
        byte[] content = utf8("sha512 blob");
        Http.Resp start = http.post("/v2/" + REPO + "/blobs/uploads/?digest-algorithm=sha512");
        assertEquals(202, start.status());
        Digest d = Digest.of(DigestAlgorithm.SHA512, content);
        Http.Resp r = http.put(Http.withQuery(start.header("Location").orElseThrow(), "digest=" + d), content, "application/octet-stream");
        assertEquals(201, r.status(), r::text);
        assertBlob(REPO, d, content);
        http.post("/v2/" + REPO + "/blobs/uploads/?digest-algorithm=md5").assertError(400, "DIGEST_INVALID");
    }

    @Test
    void upload_emptyBlob() {
        Digest d = oci.pushBlob(REPO, new byte[0]);
        Http.Resp head = http.head("/v2/" + REPO + "/blobs/" + d);
        assertEquals(200, head.status());
        assertEquals("0", head.header("Content-Length").orElseThrow());
    }

    /**
     * Bodies of several MiB cut at offsets that are not block multiples: where the filesystem
     * driver splits writes between O_DIRECT blocks and the page cache. Then the same bytes pushed
     * again elsewhere, whose copy is dropped after the answer: the session must be gone at once.
     */
    @Test
    void largeBlobs_unalignedChunksMonolithicAndRePush_storedByteExact() {
        int mib = 1024 * 1024;
        byte[] content = Oci.random(9 * mib + 123, 21);
        Digest d = Digest.sha256(content);
        String loc = startUpload(REPO + "-large");
        int[] cuts = {0, 3 * mib + 7, 3 * mib + 5000, 8 * mib + 1, content.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Http.Resp r = http.patch(loc, Arrays.copyOfRange(content, cuts[i], cuts[i + 1]), cuts[i] + "-" + (cuts[i + 1] - 1));
            assertEquals(202, r.status(), r::text);
            loc = r.header("Location").orElseThrow();
        }
        Http.Resp done = http.put(Http.withQuery(loc, "digest=" + d), new byte[0], null);
        assertEquals(201, done.status(), done::text);
        assertBlob(REPO + "-large", d, content);

        byte[] other = Oci.random(6 * mib + 1, 22);
        Digest o = Digest.sha256(other);
        String monolithic = startUpload(REPO + "-large");
        assertEquals(201, http.put(Http.withQuery(monolithic, "digest=" + o), other, "application/octet-stream").status());
        assertBlob(REPO + "-large", o, other);

        String again = startUpload(REPO + "-again");
        Http.Resp repush = http.put(Http.withQuery(again, "digest=" + d), content, "application/octet-stream");
        assertEquals(201, repush.status(), repush::text);
        assertBlob(REPO + "-again", d, content);
        http.get(again).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void upload_existingBlobAgain_isAccepted() {
        byte[] content = utf8("{}");
        assertEquals(oci.pushBlob(REPO, content), oci.pushBlob(REPO, content));
    }

    @Test
    void mount_fromRepositoryWithBlob_is201() {
        byte[] content = utf8("mountable");
        Digest d = oci.pushBlob("source/repo", content);
        Http.Resp r = http.post("/v2/" + REPO + "/mounted/blobs/uploads/?mount=" + d + "&from=source/repo");
        assertEquals(201, r.status(), r::text);
        assertEquals("/v2/" + REPO + "/mounted/blobs/" + d, r.header("Location").orElseThrow());
        assertBlob(REPO + "/mounted", d, content);
    }

    @Test
    void mount_blobNotInSource_fallsBackTo202Upload() {
        Digest absent = Digest.sha256(utf8("nowhere"));
        Http.Resp r = http.post("/v2/" + REPO + "/m2/blobs/uploads/?mount=" + absent + "&from=source/repo");
        assertEquals(202, r.status());
        assertTrue(r.header("Location").orElseThrow().startsWith("/v2/" + REPO + "/m2/blobs/uploads/"));
        byte[] content = utf8("pushed instead");
        Digest d = Digest.sha256(content);
        assertEquals(201, http.put(Http.withQuery(r.header("Location").orElseThrow(), "digest=" + d), content, null).status());
    }

    @Test
    void mount_withoutFrom_isOrdinaryUpload() {
        Digest d = oci.pushBlob("source/other", utf8("anonymous mount"));
        Http.Resp r = http.post("/v2/" + REPO + "/m3/blobs/uploads/?mount=" + d);
        assertEquals(202, r.status(), "no cross-repository lookup without a named source");
    }

    @Test
    void manifest_ociImage_is201WithLocationAndDigest() {
        byte[] m = oci.image(REPO, "img", "");
        Http.Resp r = oci.putManifest(REPO, "1.0.0", m, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        Digest d = Digest.sha256(m);
        assertEquals("/v2/" + REPO + "/manifests/" + d, r.header("Location").orElseThrow());
        assertEquals(d.toString(), r.header("Docker-Content-Digest").orElseThrow());
        assertFalse(r.header("OCI-Subject").isPresent());
    }

    @Test
    void manifest_putByDigest_andTagParameters_setOciTag() {
        byte[] m = oci.image(REPO, "bydigest", "");
        Digest d = Digest.sha256(m);
        Http.Resp r = oci.putManifest(REPO, d + "?tag=2.0.0&tag=latest", m, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        java.util.List<String> tags = r.headerValues("OCI-Tag").stream()
                .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).toList();
        assertEquals(java.util.List.of("2.0.0", "latest"), tags);
        assertEquals(d.toString(), http.head("/v2/" + REPO + "/manifests/latest").header("Docker-Content-Digest").orElseThrow());
    }

    @Test
    void manifest_putByWrongDigest_isDigestInvalid() {
        byte[] m = oci.image(REPO, "wrongdigest", "");
        oci.putManifest(REPO, Digest.sha256(utf8("x")).toString(), m, MediaTypes.OCI_MANIFEST).assertError(400, "DIGEST_INVALID");
        oci.putManifest(REPO, "sha256:baddigeststring", m, MediaTypes.OCI_MANIFEST).assertError(400, "DIGEST_INVALID");
    }

    @Test
    void manifest_sha512Reference_isHashedWithSha512() {
        byte[] m = oci.image(REPO, "sha512ref", "");
        Digest d = Digest.of(DigestAlgorithm.SHA512, m);
        Http.Resp r = oci.putManifest(REPO, d.toString(), m, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        assertArrayEquals(m, http.get("/v2/" + REPO + "/manifests/" + d).body());
    }

    @Test
    void manifest_ociIndex_needsChildren() {
        byte[] child = oci.image(REPO, "child", "");
        oci.putManifest(REPO, Digest.sha256(child).toString(), child, MediaTypes.OCI_MANIFEST);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":" + child.length + ",\"digest\":\"" + Digest.sha256(child)
                + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
        Http.Resp r = oci.putManifest(REPO, "multi", index, MediaTypes.OCI_INDEX);
        assertEquals(201, r.status(), r::text);
        Http.Resp got = http.get("/v2/" + REPO + "/manifests/multi");
        assertEquals(MediaTypes.OCI_INDEX, got.header("Content-Type").orElseThrow());
        assertArrayEquals(index, got.body());
        byte[] sparse = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":10,\"digest\":\"" + Digest.sha256(utf8("gone")) + "\"}]}");
        oci.putManifest(REPO, "sparse", sparse, MediaTypes.OCI_INDEX).assertError(400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void manifest_dockerSchema2AndManifestList() {
        byte[] config = utf8("{\"architecture\":\"arm64\"}");
        byte[] layer = Oci.random(500, 9);
        oci.pushBlob(REPO, config);
        oci.pushBlob(REPO, layer);
        byte[] m = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":" + Oci.descriptor("application/vnd.docker.container.image.v1+json", config) + ","
                + "\"layers\":[" + Oci.descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer) + "]}");
        assertEquals(201, oci.putManifest(REPO, "docker", m, MediaTypes.DOCKER_MANIFEST).status());
        assertEquals(MediaTypes.DOCKER_MANIFEST, http.get("/v2/" + REPO + "/manifests/docker").header("Content-Type").orElseThrow());
        byte[] list = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":" + m.length + ",\"digest\":\"" + Digest.sha256(m)
                + "\",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}");
        assertEquals(201, oci.putManifest(REPO, "dockerlist", list, MediaTypes.DOCKER_MANIFEST_LIST).status());
        assertArrayEquals(list, http.get("/v2/" + REPO + "/manifests/dockerlist").body());
    }

    @Test
    void manifest_artifactWithAnyConfigTypeAndArtifactType() {
        byte[] config = utf8("{\"akuaVersion\":\"0.8.5\"}");
        byte[] layer = utf8("fake tarball bytes for test only");
        oci.pushBlob(REPO, config);
        oci.pushBlob(REPO, layer);
        byte[] m = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/vnd.example.thing\","
                + "\"config\":" + Oci.descriptor(MediaTypes.AKUA_PACKAGE_CONFIG, config) + ","
                + "\"layers\":[" + Oci.descriptor(MediaTypes.AKUA_PACKAGE_CONTENT, layer) + "]}");
        assertEquals(201, oci.putManifest(REPO, "artifact", m, MediaTypes.OCI_MANIFEST).status());
    }

    @Test
    void manifest_missingBlob_isManifestBlobUnknown() {
        byte[] config = utf8("{}");
        oci.pushBlob(REPO, config);
        byte[] m = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":" + Oci.descriptor(MediaTypes.OCI_EMPTY, config) + ","
                + "\"layers\":[" + Oci.descriptor("application/vnd.oci.image.layer.v1.tar", utf8("never uploaded")) + "]}");
        oci.putManifest(REPO, "broken", m, MediaTypes.OCI_MANIFEST).assertError(400, "MANIFEST_BLOB_UNKNOWN");
        assertEquals(404, http.head("/v2/" + REPO + "/manifests/broken").status());
    }

    @Test
    void manifest_withSubject_answersOciSubject_evenIfSubjectAbsent() {
        Digest absent = Digest.sha256(utf8("subject not pushed yet"));
        byte[] m = oci.image(REPO, "referrer", ",\"artifactType\":\"application/vnd.example.sig\",\"subject\":{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"size\":100,\"digest\":\"" + absent + "\"}");
        Http.Resp r = oci.putManifest(REPO, Digest.sha256(m).toString(), m, MediaTypes.OCI_MANIFEST);
        assertEquals(201, r.status(), r::text);
        assertEquals(absent.toString(), r.header("OCI-Subject").orElseThrow());
    }

    @Test
    void manifest_tooLarge_is413() {
        byte[] huge = new byte[4 * 1024 * 1024 + 10];
        Arrays.fill(huge, (byte) ' ');
        Http.Resp r = oci.putManifest(REPO, "huge", huge, MediaTypes.OCI_MANIFEST);
        assertEquals(413, r.status());
    }

    @Test
    void manifest_invalidJsonOrShape_isManifestInvalid() {
        oci.putManifest(REPO, "bad", utf8("{not json"), MediaTypes.OCI_MANIFEST).assertError(400, "MANIFEST_INVALID");
        oci.putManifest(REPO, "bad", utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}"),
                MediaTypes.OCI_MANIFEST).assertError(400, "MANIFEST_INVALID");
        oci.putManifest(REPO, "bad", utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}"),
                MediaTypes.OCI_MANIFEST).assertError(400, "MANIFEST_INVALID");
    }

    @Test
    void manifest_overwriteTag_movesIt() {
        Digest a = oci.pushImage(REPO, "moving", "a", "");
        Digest b = oci.pushImage(REPO, "moving", "b", "");
        assertFalse(a.equals(b));
        assertEquals(b.toString(), http.head("/v2/" + REPO + "/manifests/moving").header("Docker-Content-Digest").orElseThrow());
        assertEquals(200, http.head("/v2/" + REPO + "/manifests/" + a).status(), "the old manifest stays by digest");
    }

    @Test
    void upload_resumesAfterRestart() throws Exception {
        Path dir = root.resolve("restart");
        byte[] content = Oci.random(50_000, 11);
        String loc;
        try (TestRegistry first = TestRegistry.start(dir)) {
            Http h = new Http(first.base());
            Http.Resp start = h.post("/v2/" + REPO + "/blobs/uploads/");
            loc = start.header("Location").orElseThrow();
            assertEquals(202, h.patch(loc, Arrays.copyOfRange(content, 0, 20_000), "0-19999").status());
        }
        try (TestRegistry second = TestRegistry.start(dir)) {
            Http h = new Http(second.base());
            Http.Resp status = h.get(loc);
            assertEquals(204, status.status());
            assertEquals("0-19999", status.header("Range").orElseThrow());
            assertEquals(202, h.patch(loc, Arrays.copyOfRange(content, 20_000, content.length), "20000-49999").status());
            Digest d = Digest.sha256(content);
            assertEquals(201, h.put(Http.withQuery(loc, "digest=" + d), new byte[0], null).status());
            assertArrayEquals(content, h.get("/v2/" + REPO + "/blobs/" + d).body());
        }
    }
}
