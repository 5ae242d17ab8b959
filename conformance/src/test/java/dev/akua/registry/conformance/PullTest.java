package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** distribution-spec "Pull": manifests and blobs by tag and digest, GET and HEAD, ranges. */
class PullTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static Http http;
    static Oci oci;
    static final String REPO = "conformance/pull";
    static byte[] manifest;
    static Digest manifestDigest;
    static byte[] layer = Oci.random(100_000, 1);
    static Digest layerDigest;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start(root);
        http = new Http(registry.base());
        oci = new Oci(http);
        layerDigest = oci.pushBlob(REPO, layer);
        byte[] config = utf8("{}");
        Digest c = oci.pushBlob(REPO, config);
        // deliberately pretty-printed: served bytes must be the pushed bytes, not a re-serialisation
        manifest = utf8("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",\n"
                + "  \"config\": " + Oci.descriptor(MediaTypes.OCI_EMPTY, config) + ",\n"
                + "  \"layers\": [ " + Oci.descriptor("application/vnd.oci.image.layer.v1.tar", layer) + " ]\n}\n");
        manifestDigest = Digest.sha256(manifest);
        assertEquals(201, oci.putManifest(REPO, "v1", manifest, MediaTypes.OCI_MANIFEST).status());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void base_get_is200() {
        Http.Resp r = http.get("/v2/");
        assertEquals(200, r.status());
        assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version").orElseThrow());
    }

    @Test
    void manifest_getByTag_byteExactWithHeaders() {
        Http.Resp r = http.get("/v2/" + REPO + "/manifests/v1", "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, r.status());
        assertArrayEquals(manifest, r.body());
        assertEquals(manifestDigest.toString(), r.header("Docker-Content-Digest").orElseThrow());
        assertEquals(MediaTypes.OCI_MANIFEST, r.header("Content-Type").orElseThrow());
    }

    @Test
    void manifest_getByDigest_byteExact() {
        Http.Resp r = http.get("/v2/" + REPO + "/manifests/" + manifestDigest);
        assertEquals(200, r.status());
        assertArrayEquals(manifest, r.body());
    }

    @Test
    void manifest_getWithUnrelatedAccept_stillServesStoredManifest() {
        Http.Resp r = http.get("/v2/" + REPO + "/manifests/v1", "Accept", MediaTypes.DOCKER_MANIFEST);
        assertEquals(200, r.status());
        assertArrayEquals(manifest, r.body());
    }

    @Test
    void manifest_head_hasDigestAndLengthWithoutBody() {
        for (String ref : new String[]{"v1", manifestDigest.toString()}) {
            Http.Resp r = http.head("/v2/" + REPO + "/manifests/" + ref);
            assertEquals(200, r.status());
            assertEquals(String.valueOf(manifest.length), r.header("Content-Length").orElseThrow());
            assertEquals(manifestDigest.toString(), r.header("Docker-Content-Digest").orElseThrow());
            assertEquals(MediaTypes.OCI_MANIFEST, r.header("Content-Type").orElseThrow());
            assertEquals(0, r.body().length);
        }
    }

    @Test
    void manifest_ifNoneMatch_is304() {
        Http.Resp r = http.get("/v2/" + REPO + "/manifests/v1", "If-None-Match", "\"" + manifestDigest + "\"");
        assertEquals(304, r.status());
    }

    @Test
    void manifest_unknownTagOrDigest_is404ManifestUnknown() {
        http.get("/v2/" + REPO + "/manifests/missing").assertError(404, "MANIFEST_UNKNOWN");
        http.get("/v2/" + REPO + "/manifests/" + Digest.sha256(utf8("nope"))).assertError(404, "MANIFEST_UNKNOWN");
        Http.Resp head = http.head("/v2/" + REPO + "/manifests/missing");
        assertEquals(404, head.status());
        assertEquals(0, head.body().length);
    }

    @Test
    void manifest_unknownRepository_is404NameUnknown() {
        http.get("/v2/never/pushed/manifests/latest").assertError(404, "NAME_UNKNOWN");
    }

    @Test
    void blob_get_streamsBytesWithDigest() {
        Http.Resp r = http.get("/v2/" + REPO + "/blobs/" + layerDigest);
        assertEquals(200, r.status());
        assertArrayEquals(layer, r.body());
        assertEquals(layerDigest.toString(), r.header("Docker-Content-Digest").orElseThrow());
        assertEquals(String.valueOf(layer.length), r.header("Content-Length").orElseThrow());
    }

    @Test
    void blob_head_hasLengthAndDigest() {
        Http.Resp r = http.head("/v2/" + REPO + "/blobs/" + layerDigest);
        assertEquals(200, r.status());
        assertEquals(String.valueOf(layer.length), r.header("Content-Length").orElseThrow());
        assertEquals(layerDigest.toString(), r.header("Docker-Content-Digest").orElseThrow());
        assertEquals(0, r.body().length);
    }

    @Test
    void blob_range_is206WithContentRange() {
        Http.Resp r = http.get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=10-19");
        assertEquals(206, r.status());
        assertArrayEquals(Arrays.copyOfRange(layer, 10, 20), r.body());
        assertEquals("bytes 10-19/" + layer.length, r.header("Content-Range").orElseThrow());
        Http.Resp open = http.get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=99990-");
        assertEquals(206, open.status());
        assertArrayEquals(Arrays.copyOfRange(layer, 99_990, layer.length), open.body());
        Http.Resp suffix = http.get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=-5");
        assertArrayEquals(Arrays.copyOfRange(layer, layer.length - 5, layer.length), suffix.body());
    }

    @Test
    void blob_rangePastEnd_is416() {
        Http.Resp r = http.get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=200000-200010");
        assertEquals(416, r.status());
        assertEquals("bytes */" + layer.length, r.header("Content-Range").orElseThrow());
    }

    @Test
    void blob_multipleRanges_servesWholeBlob() {
        Http.Resp r = http.get("/v2/" + REPO + "/blobs/" + layerDigest, "Range", "bytes=0-1,5-6");
        assertEquals(200, r.status());
        assertEquals(layer.length, r.body().length);
    }

    @Test
    void blob_unknown_is404BlobUnknown() {
        http.get("/v2/" + REPO + "/blobs/" + Digest.sha256(utf8("absent"))).assertError(404, "BLOB_UNKNOWN");
        assertEquals(404, http.head("/v2/" + REPO + "/blobs/" + Digest.sha256(utf8("absent"))).status());
    }

    @Test
    void blob_ofAnotherRepository_is404() {
        http.get("/v2/other/repo/blobs/" + layerDigest).assertError(404, "BLOB_UNKNOWN");
    }

    @Test
    void blob_manifestDigest_isServedFromBlobsEndpoint() {
        Http.Resp r = http.get("/v2/" + REPO + "/blobs/" + manifestDigest);
        assertEquals(200, r.status());
        assertArrayEquals(manifest, r.body());
        assertTrue(r.header("Content-Type").isPresent());
    }
}
