package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code enforce: pull} end to end (issue 4, "Done when"): a real pulling client (Debian's skopeo
 * 1.9.3, built with sigstore disabled, so only as the client that pulls) and akua's dependency fetch
 * as it is on the wire (two Accept lines, then the {@code .sig} manifest and its payload blob). Signed
 * artifacts pull; unsigned ones are 403 {@code DENIED} with the reason; signatures, attestations and
 * referrer artifacts stay fetchable; a tag moved to an unsigned digest is refused; HEAD answers as GET.
 * Signatures are made by the {@code openssl} CLI over the exact payload bytes.
 */
class SigningEnforcePullTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UA = "User-Agent: akua/0.8.5";
    private static final List<String> AKUA_FETCH_ACCEPT = List.of(UA, "Accept: " + MediaTypes.OCI_MANIFEST,
            "Accept: " + MediaTypes.DOCKER_MANIFEST);

    @TempDir
    static Path work;
    static TestRegistry registry;
    static Http http;
    static RawHttp raw;
    static SigningFixtures fx;
    static SigningFixtures.KeyFiles release;
    static SigningFixtures.KeyFiles stranger;
    static Path layout;
    static byte[] signedImage;
    static byte[] unsignedImage;
    static byte[] otherImage;
    static byte[] sbom;

    @BeforeAll
    static void start() {
        release = SigningFixtures.opensslKey(work, "release");
        stranger = SigningFixtures.opensslKey(work, "stranger");
        String config = """
                signing:
                  policies:
                    - name: release
                      repositories: ["secure/**"]
                      keys:
                        - name: release
                          publicKeyFile: %s
                      enforce: pull
                """.formatted(release.publicKey());
        registry = TestRegistry.start(work.resolve("registry"), config, Map.of());
        http = new Http(registry.base());
        raw = new RawHttp("127.0.0.1", registry.port());
        fx = new SigningFixtures(work, http);

        layout = work.resolve("layout");
        OciLayout l = new OciLayout(layout);
        signedImage = l.image("amd64", "signed");
        unsignedImage = l.image("amd64", "unsigned");
        otherImage = l.image("arm64", "other");
        sbom = l.referrer(unsignedImage, "application/vnd.example.sbom.v1", SigningFixtures.utf8("{\"spdxVersion\":\"SPDX-2.3\"}"));
        l.write();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static String ref(String repo) {
        return registry.hostPort() + "/" + repo;
    }

    private static Digest pushSigned(String repo, String tag) {
        Digest d = fx.pushLayoutImage(layout, repo, tag, signedImage);
        fx.pushSignature(repo, d, ref(repo), release);
        return d;
    }

    private static void assertDenied(Http.Resp r, String... fragments) {
        r.assertError(403, "DENIED");
        String message = r.json().get("errors").get(0).get("message").asText();
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "deny message should contain '" + f + "': " + message);
        }
    }

    @Test
    void skopeo_copiesSigned_andFailsOnUnsignedWithDeniedAndTheReason() {
        String repo = "secure/skopeo";
        Digest signed = pushSigned(repo, "signed");
        fx.pushLayoutImage(layout, repo, "unsigned", unsignedImage);
        Path out = work.resolve("skopeo-out");

        Tools.ok(work, "skopeo", "copy", "--src-tls-verify=false", "--preserve-digests",
                "docker://" + ref(repo) + ":signed", "oci:" + out + ":signed");
        assertEquals(signed, OciLayout.refDigest(out, "signed"));

        Tools.Result refused = Tools.run(work, "skopeo", "copy", "--src-tls-verify=false", "--preserve-digests",
                "docker://" + ref(repo) + ":unsigned", "oci:" + out + ":unsigned");
        assertNotEquals(0, refused.exit(), refused.output());
        String text = refused.output().toLowerCase(Locale.ROOT);
        assertTrue(text.contains("denied"), refused.output());
        assertTrue(text.contains("signature policy 'release' refuses") && text.contains("no signature found"), refused.output());
    }

    @Test
    void akuaFetch_signedArtifact_servesManifestSidecarAndPayload() throws Exception {
        String repo = "secure/akua/app";
        Digest digest = pushSigned(repo, "1.0.0");

        RawHttp.Response manifest = raw.exchange("GET", "/v2/" + repo + "/manifests/1.0.0", AKUA_FETCH_ACCEPT, null);
        assertEquals(200, manifest.status(), manifest::text);
        assertArrayEquals(signedImage, manifest.body());

        // oci_fetcher.rs:573-662: the .sig manifest by tag, its first simple-signing layer, the payload blob
        RawHttp.Response sig = raw.exchange("GET", "/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(digest), AKUA_FETCH_ACCEPT, null);
        assertEquals(200, sig.status(), sig::text);
        JsonNode layer = JSON.readTree(sig.body()).get("layers").get(0);
        RawHttp.Response payload = raw.exchange("GET", "/v2/" + repo + "/blobs/" + layer.get("digest").asText(), List.of(UA), null);
        assertEquals(200, payload.status());
        assertArrayEquals(SigningFixtures.payload(ref(repo), digest), payload.body());
        byte[] signature = java.util.Base64.getDecoder().decode(layer.get("annotations").get(SigningFixtures.SIGNATURE_ANNOTATION).asText());
        assertTrue(fx.opensslVerify(release.publicKey(), payload.body(), signature), "the client can check the signature itself");
    }

    @Test
    void akuaFetch_unsignedArtifact_isDenied403WithTheReason() throws Exception {
        String repo = "secure/akua/unsigned";
        Digest digest = fx.pushLayoutImage(layout, repo, "1.0.0", unsignedImage);

        RawHttp.Response r = raw.exchange("GET", "/v2/" + repo + "/manifests/1.0.0", AKUA_FETCH_ACCEPT, null);

        assertEquals(403, r.status());
        JsonNode error = JSON.readTree(r.body()).get("errors").get(0);
        assertEquals("DENIED", error.get("code").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains("signature policy 'release' refuses " + repo + "@" + digest), message);
        assertTrue(message.contains("no signature found for " + digest), message);
    }

    @Test
    void enforce_signaturesAttestationsAndReferrerArtifacts_stayFetchable() {
        String repo = "secure/artifacts";
        Digest signed = pushSigned(repo, "signed");
        Digest att = fx.pushAttestation(repo, signed, ref(repo), release);
        Digest unsigned = fx.pushLayoutImage(layout, repo, "unsigned", unsignedImage);
        Digest sbomDigest = fx.pushLayoutImage(layout, repo, "sbom", sbom);

        // sidecars by tag and by digest
        assertEquals(200, http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(signed)).status());
        assertEquals(200, http.get("/v2/" + repo + "/manifests/" + SigningFixtures.attTag(signed)).status());
        assertEquals(200, http.get("/v2/" + repo + "/manifests/" + att).status());
        // a referrer artifact (it has a subject) of an unsigned image, by tag and by digest, and the referrers API
        assertEquals(200, http.get("/v2/" + repo + "/manifests/sbom").status());
        assertEquals(200, http.head("/v2/" + repo + "/manifests/" + sbomDigest).status());
        JsonNode referrers = http.get("/v2/" + repo + "/referrers/" + unsigned).json();
        assertEquals(sbomDigest.toString(), referrers.get("manifests").get(0).get("digest").asText());
        // the unsigned image itself is not
        assertDenied(http.get("/v2/" + repo + "/manifests/unsigned"), "no signature found");
        // exemption goes by content: an unsigned image tagged like a sidecar is still refused
        Digest disguised = fx.pushLayoutImage(layout, repo, SigningFixtures.sigTag(Digest.sha256(new byte[]{7})), otherImage);
        assertDenied(http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(Digest.sha256(new byte[]{7}))), disguised.toString());
    }

    @Test
    void tagMovedToUnsignedDigest_isDenied_whileTheSignedDigestStillPulls() {
        String repo = "secure/moving";
        Digest signed = pushSigned(repo, "stable");
        assertEquals(200, http.get("/v2/" + repo + "/manifests/stable").status());

        Digest unsigned = fx.pushLayoutImage(layout, repo, "stable", unsignedImage);

        assertDenied(http.get("/v2/" + repo + "/manifests/stable"), unsigned.toString());
        assertEquals(403, http.head("/v2/" + repo + "/manifests/stable").status());
        assertEquals(200, http.get("/v2/" + repo + "/manifests/" + signed).status());
    }

    @Test
    void head_answersExactlyAsGet_forAllowedAndDenied() {
        String repo = "secure/head";
        Digest signed = pushSigned(repo, "signed");
        fx.pushLayoutImage(layout, repo, "unsigned", unsignedImage);

        for (String reference : List.of("signed", signed.toString(), "unsigned", SigningFixtures.sigTag(signed))) {
            Http.Resp get = http.get("/v2/" + repo + "/manifests/" + reference);
            Http.Resp head = http.head("/v2/" + repo + "/manifests/" + reference);
            assertEquals(get.status(), head.status(), reference);
            assertEquals(get.header("Docker-Content-Digest"), head.header("Docker-Content-Digest"), reference);
            assertEquals(get.header("Content-Type"), head.header("Content-Type"), reference);
            assertEquals(get.header("Content-Length").orElseThrow(), head.header("Content-Length").orElseThrow(), reference);
            assertEquals(0, head.body().length);
        }
        assertEquals(403, http.head("/v2/" + repo + "/manifests/unsigned").status());
    }

    @Test
    void untrustedKeyOrBorrowedSidecar_isDenied() {
        String repo = "secure/negative";
        Digest byStranger = fx.pushLayoutImage(layout, repo, "stranger", otherImage);
        fx.pushSignature(repo, byStranger, ref(repo), stranger);
        assertDenied(http.get("/v2/" + repo + "/manifests/stranger"), "none of the 1 signatures found", "verified");

        // the valid sidecar of a signed image copied onto the .sig tag of an unsigned one
        Digest signed = pushSigned(repo, "signed");
        byte[] sidecar = http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(signed)).body();
        Digest unsigned = fx.pushLayoutImage(layout, repo, "unsigned", unsignedImage);
        assertEquals(201, fx.oci().putManifest(repo, SigningFixtures.sigTag(unsigned), sidecar, MediaTypes.OCI_MANIFEST).status());
        assertDenied(http.get("/v2/" + repo + "/manifests/unsigned"), "none of the 1 signatures found");
        assertEquals(200, http.get("/v2/" + repo + "/manifests/signed").status());
    }

    @Test
    void repositoryOutsideTheEnforcingPolicy_pullsUnsigned() {
        String repo = "open/app";
        fx.pushLayoutImage(layout, repo, "1.0", unsignedImage);

        Http.Resp r = http.get("/v2/" + repo + "/manifests/1.0");

        assertEquals(200, r.status());
        assertArrayEquals(unsignedImage, r.body());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"layers\""));
    }
}
