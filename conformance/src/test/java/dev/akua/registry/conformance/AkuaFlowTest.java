package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requests akua 0.8.5 makes, as it makes them (shared/design/akua-wire-contract.md §1–3, §10):
 * publish (POST with Content-Length 0, PUT to the relative Location with a literal-colon digest,
 * manifest PUT, .sig and .att sidecars with re-uploaded {} configs), re-publish overwriting the
 * sidecar tag, and the dependency fetch with two Accept header lines.
 */
class AkuaFlowTest {
    @TempDir
    static Path root;
    static TestRegistry registry;
    static RawHttp raw;
    static final String REPO = "acme/charts/app";
    static final String UA = "User-Agent: akua/0.8.5";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void start() {
        registry = TestRegistry.start(root);
        raw = new RawHttp("127.0.0.1", registry.port());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** oci_pusher.rs:404-462: POST (status unchecked, Location required), then PUT Location+"?digest=" → 201/202. */
    private static Digest upload(byte[] blob) throws IOException {
        RawHttp.Response post = raw.exchange("POST", "/v2/" + REPO + "/blobs/uploads/", List.of(UA, "Content-Length: 0"), null);
        String location = post.header("Location").orElseThrow(() -> new AssertionError("MissingUploadLocation"));
        assertTrue(location.startsWith("/"), "a relative Location must start with /: " + location);
        Digest digest = Digest.sha256(blob);
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        assertTrue(target.contains("digest=sha256:"), "akua does not percent-encode the colon");
        RawHttp.Response put = raw.exchange("PUT", target, List.of(UA, "Content-Type: application/octet-stream"), blob);
        assertTrue(put.status() == 201 || put.status() == 202, "akua accepts only 201/202, got " + put.status() + " " + put.text());
        assertEquals(201, put.status());
        return digest;
    }

    private static void putManifest(String tag, byte[] manifest) throws IOException {
        RawHttp.Response r = raw.exchange("PUT", "/v2/" + REPO + "/manifests/" + tag,
                List.of(UA, "Content-Type: " + OCI_MANIFEST), manifest);
        assertTrue(r.status() >= 200 && r.status() < 300, () -> "manifest PUT: " + r.status() + " " + r.text());
    }

    private static byte[] sidecar(String layerMediaType, byte[] layer, String annotations) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\""
                + Digest.sha256(EMPTY_CONFIG) + "\"},\"layers\":[{\"mediaType\":\"" + layerMediaType + "\",\"size\":" + layer.length
                + ",\"digest\":\"" + Digest.sha256(layer) + "\"" + annotations + "}]}");
    }

    private static byte[] signedSidecar(KeyPair key, Digest manifestDigest) throws Exception {
        byte[] payload = utf8("{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.hostPort() + "/" + REPO
                + "\"},\"image\":{\"docker-manifest-digest\":\"" + manifestDigest
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(key.getPrivate());
        ecdsa.update(payload);
        String sig = Base64.getEncoder().encodeToString(ecdsa.sign());
        upload(payload);
        upload(EMPTY_CONFIG);
        return sidecar("application/vnd.dev.cosign.simplesigning.v1+json", payload,
                ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + sig + "\"}");
    }

    @Test
    void publish_thenFetch_matchesTheWireContractTestVector() throws Exception {
        // §2.1: akua's own test layer and config produce this exact manifest digest.
        byte[] layer = utf8("fake tarball bytes for test only");
        byte[] config = utf8("{\"akuaVersion\":\"0.8.5\"}");
        Digest layerDigest = upload(layer);
        Digest configDigest = upload(config);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"application/vnd.akua.package.config.v1+json\",\"size\":"
                + config.length + ",\"digest\":\"" + configDigest + "\"},\"layers\":[{\"mediaType\":\"application/vnd.akua.package.content.v1.tar+gzip\",\"size\":"
                + layer.length + ",\"digest\":\"" + layerDigest + "\"}]}");
        Digest manifestDigest = Digest.sha256(manifest);
        assertEquals("sha256:175d00b070177b5643ac37c5dda28069201b5975c9fb8d8b270f5c681a87f107", layerDigest.toString());
        assertEquals("sha256:a3e44727e4012a529cc5a93273488a3b3c5ff62c3f23debd1eacb5143aa4b577", manifestDigest.toString());
        putManifest("0.1.0", manifest);

        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = gen.generateKeyPair();
        String sigTag = manifestDigest.tagForm() + ".sig";
        assertEquals(75, sigTag.length());
        putManifest(sigTag, signedSidecar(key, manifestDigest));

        byte[] envelope = utf8("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"MEUCIQ==\"}]}");
        upload(envelope);
        upload(EMPTY_CONFIG);
        putManifest(manifestDigest.tagForm() + ".att", sidecar("application/vnd.dsse.envelope.v1+json", envelope, ""));

        // oci_fetcher.rs: two separate Accept lines, then the layer blob, re-hashed by the client.
        RawHttp.Response got = raw.exchange("GET", "/v2/" + REPO + "/manifests/0.1.0",
                List.of(UA, "Accept: " + OCI_MANIFEST, "Accept: application/vnd.docker.distribution.manifest.v2+json"), null);
        assertEquals(200, got.status());
        assertArrayEquals(manifest, got.body());
        assertEquals(manifestDigest, Digest.sha256(got.body()));
        RawHttp.Response blob = raw.exchange("GET", "/v2/" + REPO + "/blobs/" + layerDigest, List.of(UA), null);
        assertEquals(200, blob.status());
        assertArrayEquals(layer, blob.body());
        assertTrue(blob.header("Content-Encoding").isEmpty(), "blob bytes arrive exactly as stored");

        // akua pull: one Accept line.
        RawHttp.Response pull = raw.exchange("GET", "/v2/" + REPO + "/manifests/0.1.0", List.of(UA, "Accept: " + OCI_MANIFEST), null);
        assertArrayEquals(manifest, pull.body());

        // render's signature check: the .sig manifest by tag, then its payload blob.
        RawHttp.Response sig = raw.exchange("GET", "/v2/" + REPO + "/manifests/" + sigTag,
                List.of(UA, "Accept: " + OCI_MANIFEST, "Accept: application/vnd.docker.distribution.manifest.v2+json"), null);
        assertEquals(200, sig.status());
        assertTrue(sig.text().contains("dev.cosignproject.cosign/signature"));

        // re-publish overwrites the sidecar tag with a single-signature manifest (§3.3, §9.7)
        byte[] resigned = signedSidecar(key, manifestDigest);
        putManifest(sigTag, resigned);
        assertArrayEquals(resigned, raw.exchange("GET", "/v2/" + REPO + "/manifests/" + sigTag,
                List.of(UA, "Accept: " + OCI_MANIFEST), null).body());

        // akua verify: .att present for the attested digest, 404 ("not attested") for another
        assertEquals(200, raw.exchange("GET", "/v2/" + REPO + "/manifests/" + manifestDigest.tagForm() + ".att",
                List.of(UA, "Accept: " + OCI_MANIFEST), null).status());
        assertEquals(404, raw.exchange("GET", "/v2/" + REPO + "/manifests/" + layerDigest.tagForm() + ".att",
                List.of(UA, "Accept: " + OCI_MANIFEST), null).status());
    }

    @Test
    void unknownTag_is404ForTheFetcher() throws Exception {
        RawHttp.Response r = raw.exchange("GET", "/v2/" + REPO + "/manifests/9.9.9",
                List.of(UA, "Accept: " + OCI_MANIFEST, "Accept: application/vnd.docker.distribution.manifest.v2+json"), null);
        assertEquals(404, r.status());
    }
}
