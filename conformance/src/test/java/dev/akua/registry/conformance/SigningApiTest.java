package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.feature.signing.Signatures;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.TrustedKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/repositories/<name>/signatures/<digest|tag>} on the real server: every signature
 * and attestation found, each verified or not with its signer or the reason, for signed, unsigned,
 * tampered and unknown digests; and the routing of repository names that contain {@code /},
 * {@code sign} and {@code signatures}.
 */
class SigningApiTest {
    @TempDir
    static Path work;
    static TestRegistry registry;
    static Http http;
    static SigningFixtures fx;
    static SigningFixtures.KeyFiles release;
    static SigningFixtures.KeyFiles stranger;

    @BeforeAll
    static void start() {
        release = SigningFixtures.opensslKey(work, "release");
        stranger = SigningFixtures.opensslKey(work, "stranger");
        String config = """
                signing:
                  policies:
                    - name: release
                      repositories: ["acme/**"]
                      keys:
                        - name: release
                          publicKeyFile: %s
                """.formatted(release.publicKey());
        registry = TestRegistry.start(work.resolve("registry"), config, Map.of());
        http = new Http(registry.base());
        fx = new SigningFixtures(work, http);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static String ref(String repo) {
        return registry.hostPort() + "/" + repo;
    }

    private static JsonNode report(String repo, String reference) {
        Http.Resp r = http.get("/api/v1/repositories/" + repo + "/signatures/" + reference);
        assertEquals(200, r.status(), r::text);
        assertEquals("application/json", r.header("Content-Type").orElseThrow());
        assertEquals("no-store", r.header("Cache-Control").orElseThrow());
        return r.json();
    }

    @Test
    void signatures_signedAndAttested_reportsEachVerifiedWithItsSigner() {
        String repo = "acme/app";
        Digest d = fx.oci().pushImage(repo, "1.0", "signed", "");
        Digest sidecar = fx.pushSignature(repo, d, ref(repo), release);
        fx.pushAttestation(repo, d, ref(repo), release);

        JsonNode r = report(repo, d.toString());

        assertEquals(repo, r.get("repository").asText());
        assertEquals(d.toString(), r.get("digest").asText());
        assertEquals("release", r.get("policy").asText());
        assertEquals("none", r.get("enforce").asText());
        assertTrue(r.get("policyMet").asBoolean(), r::toString);
        JsonNode sig = r.get("signatures").get(0);
        assertEquals("cosign-simple-signing", sig.get("format").asText());
        assertEquals("tag", sig.get("source").asText());
        assertEquals(SigningFixtures.sigTag(d), sig.get("tag").asText());
        assertEquals(sidecar.toString(), sig.get("manifestDigest").asText());
        assertTrue(sig.get("verified").asBoolean());
        assertEquals("release", sig.get("signer").get("keyName").asText());
        assertTrue(sig.get("signer").get("keyFingerprint").asText().startsWith("sha256:"));
        assertFalse(sig.has("reason"));
        JsonNode att = r.get("attestations").get(0);
        assertEquals("dsse", att.get("format").asText());
        assertTrue(att.get("verified").asBoolean(), att::toString);
        assertEquals("https://slsa.dev/provenance/v1", att.get("predicateType").asText());
    }

    @Test
    void signatures_unsigned_reportsPolicyNotMetAndWhereItLooked() {
        String repo = "acme/unsigned";
        Digest d = fx.oci().pushImage(repo, "1.0", "unsigned", "");

        JsonNode r = report(repo, "1.0");

        assertFalse(r.get("policyMet").asBoolean());
        assertEquals(d.toString(), r.get("digest").asText());
        assertEquals(0, r.get("signatures").size());
        assertTrue(r.get("summary").asText().contains("no signature found for " + d), r::toString);
        assertTrue(r.get("summary").asText().contains(SigningFixtures.sigTag(d)), r::toString);
    }

    @Test
    void signatures_tampered_reportsEachAsNotVerifiedWithTheReason() {
        String repo = "acme/tampered";
        Digest d = fx.oci().pushImage(repo, "1.0", "tampered", "");
        byte[] payload = SigningFixtures.payload(ref(repo), d);
        byte[] signature = fx.opensslSign(release, payload);
        byte[] flippedSig = signature.clone();
        flippedSig[flippedSig.length - 1] ^= 0x01;
        byte[] flippedPayload = payload.clone();
        flippedPayload[10] ^= 0x01;
        byte[] otherKey = fx.opensslSign(stranger, payload);
        fx.pushSidecar(repo, SigningFixtures.sigTag(d), List.of(payload, flippedPayload), List.of(
                SigningFixtures.signatureLayer(payload, flippedSig),
                SigningFixtures.signatureLayer(flippedPayload, signature),
                SigningFixtures.signatureLayer(payload, otherKey),
                "{\"mediaType\":\"" + MediaTypes.COSIGN_SIMPLE_SIGNING + "\",\"size\":" + payload.length + ",\"digest\":\"" + Digest.sha256(payload)
                        + "\",\"annotations\":{\"" + SigningFixtures.SIGNATURE_ANNOTATION + "\":\"%%not base64%%\"}}"));

        JsonNode r = report(repo, d.toString());

        assertFalse(r.get("policyMet").asBoolean(), r::toString);
        assertEquals(4, r.get("signatures").size());
        for (JsonNode f : r.get("signatures")) {
            assertFalse(f.get("verified").asBoolean(), f::toString);
            assertFalse(f.get("reason").asText().isBlank(), f::toString);
        }
        assertTrue(r.get("signatures").get(3).get("reason").asText().contains("base64"), r::toString);
        assertTrue(r.get("summary").asText().startsWith("none of the 4 signatures found for " + d + " verified"), r::toString);
    }

    @Test
    void signatures_sidecarOfAnotherDigest_isNotVerified() {
        String repo = "acme/borrowed";
        Digest signed = fx.oci().pushImage(repo, "signed", "borrowed-a", "");
        Digest other = fx.oci().pushImage(repo, "other", "borrowed-b", "");
        fx.pushSignature(repo, signed, ref(repo), release);
        byte[] sidecar = http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(signed)).body();
        fx.oci().putManifest(repo, SigningFixtures.sigTag(other), sidecar, MediaTypes.OCI_MANIFEST);

        JsonNode r = report(repo, other.toString());

        assertFalse(r.get("policyMet").asBoolean());
        assertTrue(r.get("signatures").get(0).get("reason").asText().contains(signed.toString()), r::toString);
    }

    @Test
    void signatures_repositoryWithoutPolicy_listsSignaturesButNoPolicyIsMet() {
        String repo = "elsewhere/app";
        Digest d = fx.oci().pushImage(repo, "1.0", "elsewhere", "");
        fx.pushSignature(repo, d, ref(repo), release);

        JsonNode r = report(repo, d.toString());

        assertTrue(r.get("policy").isNull());
        assertFalse(r.get("policyMet").asBoolean());
        assertEquals(1, r.get("signatures").size());
        assertTrue(r.get("summary").asText().contains("no trust policy covers repository " + repo));
    }

    @Test
    void signatures_unknownOrInvalid_answersTheSpecErrors() {
        fx.oci().pushImage("acme/known", "1.0", "known", "");
        String absent = Digest.sha256(new byte[]{42}).toString();

        http.get("/api/v1/repositories/acme/known/signatures/" + absent).assertError(404, "MANIFEST_UNKNOWN");
        http.get("/api/v1/repositories/acme/known/signatures/9.9.9").assertError(404, "MANIFEST_UNKNOWN");
        http.get("/api/v1/repositories/acme/nowhere/signatures/" + absent).assertError(404, "MANIFEST_UNKNOWN");
        http.get("/api/v1/repositories/acme/known/signatures/sha256:zz").assertError(400, "DIGEST_INVALID");
        http.get("/api/v1/repositories/Acme/Known/signatures/" + absent).assertError(400, "NAME_INVALID");
        Http.Resp put = http.put("/api/v1/repositories/acme/known/signatures/" + absent, new byte[0], null).assertError(405, "UNSUPPORTED");
        assertEquals("GET, HEAD", put.header("Allow").orElseThrow());
        assertEquals(404, http.get("/api/v1/repositories/acme/known/something-else").status(), "paths that are not ours fall through");
    }

    @Test
    void signatures_head_answersAsGet() {
        String repo = "acme/head";
        Digest d = fx.oci().pushImage(repo, "1.0", "head", "");
        Http.Resp get = http.get("/api/v1/repositories/" + repo + "/signatures/1.0");
        Http.Resp head = http.head("/api/v1/repositories/" + repo + "/signatures/1.0");

        assertEquals(200, head.status());
        assertEquals(get.header("Content-Length"), head.header("Content-Length"));
        assertEquals(d.toString(), head.header("Docker-Content-Digest").orElseThrow());
        assertEquals(0, head.body().length);
    }

    @Test
    void signatures_sidecarPushedDeletedOrPayloadRemoved_isSeenAtOnce() {
        String repo = "acme/changing";
        Digest d = fx.oci().pushImage(repo, "1.0", "changing", "");
        assertFalse(report(repo, d.toString()).get("policyMet").asBoolean());

        fx.pushSignature(repo, d, ref(repo), release);
        JsonNode signed = report(repo, d.toString());
        assertTrue(signed.get("policyMet").asBoolean(), "a new sidecar counts at once");

        // the payload blob removed from the repository: the cached verdict must not survive it
        String payload = http.get("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).json().get("layers").get(0).get("digest").asText();
        assertEquals(202, http.delete("/v2/" + repo + "/blobs/" + payload).status());
        JsonNode gone = report(repo, d.toString());
        assertFalse(gone.get("policyMet").asBoolean(), gone::toString);
        assertTrue(gone.get("signatures").get(0).get("reason").asText().contains("missing"), gone::toString);

        fx.pushSignature(repo, d, ref(repo), release);
        assertTrue(report(repo, d.toString()).get("policyMet").asBoolean());
        assertEquals(202, http.delete("/v2/" + repo + "/manifests/" + SigningFixtures.sigTag(d)).status());
        assertFalse(report(repo, d.toString()).get("policyMet").asBoolean(), "a deleted sidecar tag counts at once");
    }

    @Test
    void signaturesService_isPublishedForLaterFeatures() {
        String repo = "other/service";
        Digest d = fx.oci().pushImage(repo, "1.0", "service", "");
        fx.pushSignature(repo, d, ref(repo), release);
        Signatures signatures = registry.server().context().service(Signatures.class).orElseThrow();
        TrustedKey releaseKey = TrustedKey.fromPem("release", release.publicPem());
        TrustedKey strangerKey = TrustedKey.fromPem("stranger", stranger.publicPem());

        assertFalse(signatures.verify(RepositoryName.parse(repo), d).policyMet(), "no configured policy covers other/**");
        assertTrue(signatures.signedByAny(RepositoryName.parse(repo), d, List.of(strangerKey, releaseKey)));
        assertFalse(signatures.signedByAny(RepositoryName.parse(repo), d, List.of(strangerKey)));
        assertEquals("release", signatures.policies().policies().get(0).name());
    }

    /** Names are the greedy prefix; the endpoint is read from the right, and the method decides between readings. */
    @Test
    void routing_repositoryNamesContainingSignAndSignatures_resolveToTheRightRepository() {
        for (String repo : List.of("acme/sign", "acme/signatures", "acme/signatures/sign", "acme/sign/signatures/x")) {
            Digest d = fx.oci().pushImage(repo, "1.0", repo, "");
            fx.pushSignature(repo, d, ref(repo), release);
            JsonNode r = report(repo, d.toString());
            assertEquals(repo, r.get("repository").asText());
            assertTrue(r.get("policyMet").asBoolean(), repo);
        }
        // GET …/acme/signatures/sign reads as "reference 'sign' in acme" (no such tag there) …
        http.get("/api/v1/repositories/acme/signatures/sign").assertError(404, "MANIFEST_UNKNOWN");
        // … while POST of the same path is a sign request for repository acme/signatures (refused: anonymous)
        Http.Resp post = http.send(http.request("/api/v1/repositories/acme/signatures/sign")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"digest\":\"" + Digest.sha256(new byte[]{1}) + "\",\"key\":\"k\"}")));
        post.assertError(403, "DENIED");
        assertTrue(post.json().get("errors").get(0).get("message").asText().contains("acme/signatures"), post::text);
    }
}
