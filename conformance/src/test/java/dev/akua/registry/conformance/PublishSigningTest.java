package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.signing.SigningKeyStore;
import dev.akua.registry.signing.key.KeyKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing into a repository whose policy signs with the registry's key: the cosign signature
 * verifies with {@code openssl dgst -sha256 -verify} over the simple-signing payload, the SLSA
 * provenance (DSSE, in the {@code .att} sidecar and as an OCI 1.1 referrer) verifies with the same
 * public key and names the source package digest, signing needs the {@code sign} right, and the
 * publish is recorded in the audit trail.
 */
class PublishSigningTest {
    private static final String REPO = "acme/signed/hello";
    private static final Map<String, String> KEY_ENV = Map.of("AKUA_SIGNING_PASSPHRASE", "correct horse battery staple");
    @TempDir
    Path work;
    private PublishFixtures.Registry registry;
    private Http http;
    private Path publicKey;

    @BeforeEach
    void start() throws Exception {
        Tools.require("openssl");
        Path keys = work.resolve("keys");
        new SigningKeyStore(keys, "AKUA_SIGNING_PASSPHRASE", KEY_ENV::get).generate("release", KeyKind.ECDSA_P256, new SecureRandom());
        publicKey = keys.resolve("release.pub");
        String sections = """
                signing:
                  keys:
                    directory: %s
                    passphraseEnv: AKUA_SIGNING_PASSPHRASE
                publish.policies:
                  - repositories: ["acme/signed/**"]
                    signingKey: release
                """.formatted(keys);
        registry = PublishFixtures.start(work, Map.of(), sections, PublishFixtures.gate(), KEY_ENV);
        http = new Http(registry.base());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private Http.Resp publish(String bearer) {
        return PublishFixtures.publish(http, PublishFixtures.publishPath(REPO, "helm-chart", "1.2.3"),
                PublishFixtures.tgz().files(PublishFixtures.render()).bytes(), bearer);
    }

    @Test
    void publish_signedRepository_signatureVerifiesWithOpenssl() throws Exception {
        JsonNode out = publish("alice").json();
        Digest digest = Digest.parse(out.get("digest").asText());
        assertEquals("sha256-" + digest.hex() + ".sig", out.at("/signature/tag").asText());
        assertEquals("release", out.at("/signature/key").asText());

        JsonNode sig = http.get(out.at("/signature/location").asText()).json();
        JsonNode layer = sig.at("/layers/0");
        assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.get("mediaType").asText());
        byte[] payload = http.get("/v2/" + REPO + "/blobs/" + layer.get("digest").asText()).body();
        JsonNode simple = json(payload);
        assertEquals(digest.toString(), simple.at("/critical/image/docker-manifest-digest").asText());
        assertEquals(registry.hostPort() + "/" + REPO, simple.at("/critical/identity/docker-reference").asText());

        Path payloadFile = Files.write(work.resolve("payload.json"), payload);
        Path sigFile = Files.write(work.resolve("payload.sig"),
                Base64.getDecoder().decode(layer.at("/annotations/dev.cosignproject.cosign~1signature").asText()));
        String verified = Tools.ok(work, "openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
                "-signature", sigFile.toString(), payloadFile.toString());
        assertEquals("Verified OK", verified.strip());

        Files.write(payloadFile, (new String(payload, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
        Tools.Result tampered = Tools.run(work, "openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
                "-signature", sigFile.toString(), payloadFile.toString());
        assertFalse(tampered.exit() == 0, "a changed payload must not verify: " + tampered.output());
    }

    @Test
    void publish_signedRepository_provenanceVerifiesWithTheRegistryKeyAndNamesTheSource() throws Exception {
        JsonNode out = publish("alice").json();
        Digest digest = Digest.parse(out.get("digest").asText());

        // the .att sidecar akua reads (wire contract §3.5): one DSSE layer
        JsonNode att = http.get(out.at("/attestation/location").asText()).json();
        assertEquals("application/vnd.dsse.envelope.v1+json", att.at("/layers/0/mediaType").asText());
        JsonNode envelope = json(http.get("/v2/" + REPO + "/blobs/" + att.at("/layers/0/digest").asText()).body());
        JsonNode statement = verifyDsse(envelope);
        assertEquals("https://slsa.dev/provenance/v1", statement.get("predicateType").asText());
        assertEquals(digest.hex(), statement.at("/subject/0/digest/sha256").asText());
        assertEquals(registry.hostPort() + "/" + REPO, statement.at("/subject/0/name").asText());
        JsonNode deps = statement.at("/predicate/buildDefinition/resolvedDependencies");
        assertEquals("source-package", deps.at("/0/name").asText());
        assertEquals(PublishFixtures.SOURCE.hex(), deps.at("/0/digest/sha256").asText());
        assertEquals(PublishFixtures.SOURCE_REF, deps.at("/0/uri").asText());
        assertEquals("rendered-manifests", deps.at("/1/name").asText());
        assertEquals(out.at("/input/renderedDigest").asText(), "sha256:" + deps.at("/1/digest/sha256").asText());
        assertEquals(out.at("/input/archiveDigest").asText(),
                statement.at("/predicate/buildDefinition/externalParameters/archiveDigest").asText());
        assertEquals("helm-chart", statement.at("/predicate/buildDefinition/externalParameters/as").asText());

        // the same provenance as an OCI 1.1 referrer (a key-based Sigstore bundle)
        JsonNode referrers = http.get("/v2/" + REPO + "/referrers/" + digest).json();
        JsonNode entry = null;
        for (JsonNode m : referrers.get("manifests")) {
            if ("https://slsa.dev/provenance/v1".equals(m.at("/annotations/dev.sigstore.bundle.predicateType").asText())) {
                entry = m;
            }
        }
        assertTrue(entry != null, referrers.toString());
        assertEquals(out.at("/attestation/referrer").asText(), entry.get("digest").asText());
        JsonNode referrer = http.get("/v2/" + REPO + "/manifests/" + entry.get("digest").asText()).json();
        assertEquals(digest.toString(), referrer.at("/subject/digest").asText());
        JsonNode bundle = json(http.get("/v2/" + REPO + "/blobs/" + referrer.at("/layers/0/digest").asText()).body());
        JsonNode fromBundle = verifyDsse(bundle.get("dsseEnvelope"));
        assertEquals(statement, fromBundle);
    }

    /** Verifies a DSSE envelope's first signature over its PAE with openssl and the registry's public key; returns the statement. */
    private JsonNode verifyDsse(JsonNode envelope) throws Exception {
        String type = envelope.get("payloadType").asText();
        byte[] payload = Base64.getDecoder().decode(envelope.get("payload").asText());
        ByteArrayOutputStream pae = new ByteArrayOutputStream();
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        pae.writeBytes(("DSSEv1 " + typeBytes.length + " ").getBytes(StandardCharsets.US_ASCII));
        pae.writeBytes(typeBytes);
        pae.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        pae.writeBytes(payload);
        Path paeFile = Files.write(work.resolve("pae.bin"), pae.toByteArray());
        Path sigFile = Files.write(work.resolve("pae.sig"), Base64.getDecoder().decode(envelope.at("/signatures/0/sig").asText()));
        assertEquals("Verified OK", Tools.ok(work, "openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
                "-signature", sigFile.toString(), paeFile.toString()).strip());
        assertEquals("application/vnd.in-toto+json", type);
        return json(payload);
    }

    private static JsonNode json(byte[] bytes) throws java.io.IOException {
        return com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(bytes);
    }

    /**
     * The registry's akua-exact lock resolver, given the registry's public key as the workspace's
     * cosign key and {@code strict_signing = true}, accepts the published chart: the server-side
     * signature is what akua checks (wire contract §3.4).
     */
    @Test
    void lock_strictSigningWithTheRegistryKey_acceptsThePublishedChart() throws Exception {
        JsonNode out = publish("alice").json();
        String layer = http.get("/v2/" + REPO + "/manifests/1.2.3").json().at("/layers/0/digest").asText();
        String manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\nstrict_signing = true\n\n"
                + "[dependencies]\nhello = { oci = \"oci://" + registry.hostPort() + "/" + REPO + "\", version = \"1.2.3\" }\n";
        var body = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                .put("manifest", manifest).put("publicKey", Files.readString(publicKey));
        Http.Resp r = http.send(LockFixtures.lockRequest(http, body));
        assertEquals(200, r.status(), r.text());
        JsonNode dep = r.json().at("/dependencies/0");
        assertEquals(layer, dep.get("digest").asText());
        assertTrue(dep.hasNonNull("signature") && !dep.get("signature").asText().isEmpty(), r.text());
        assertTrue(out.hasNonNull("signature"));
    }

    @Test
    void publish_callerWithoutSignRight_deniedAndNothingStored() {
        publish("bob").assertError(403, "DENIED");
        assertTrue(publish("bob").json().at("/errors/0/message").asText().contains("bob lacks the 'sign' right on " + REPO));
        publish(null).assertError(401, "UNAUTHORIZED");
        http.get("/v2/" + REPO + "/tags/list").assertError(404, "NAME_UNKNOWN");
    }

    @Test
    void publish_twice_sameDigestNoDuplicateSignatureAndAudited() {
        JsonNode first = publish("alice").json();
        JsonNode second = publish("alice").json();
        assertEquals(first.get("digest").asText(), second.get("digest").asText());
        assertTrue(second.at("/signature/alreadySigned").asBoolean());
        assertTrue(second.at("/attestation/alreadyAttested").asBoolean());
        assertEquals(1, http.get(first.at("/signature/location").asText()).json().get("layers").size());
        assertEquals(1, http.get(first.at("/attestation/location").asText()).json().get("layers").size());

        assertEquals(2, registry.audit().size(), registry.audit().toString());
        String event = registry.audit().getFirst();
        assertTrue(event.startsWith("publish alice " + REPO + " " + first.get("digest").asText()), event);
        assertTrue(event.contains("signed=true") && event.contains("attested=true") && event.contains("key=release"), event);
        assertTrue(event.contains("sourceDigest=" + PublishFixtures.SOURCE), event);
    }

    @Test
    void publish_unsignedRepository_noSignatureNeedsOnlyPush() {
        Http.Resp r = PublishFixtures.publish(http, PublishFixtures.publishPath("acme/plain/hello", "oci-bundle", "0.1.0"),
                PublishFixtures.tgz().files(PublishFixtures.render()).bytes(), "bob");
        assertEquals(201, r.status(), r.text());
        assertTrue(r.json().get("signature").isNull());
        assertTrue(r.json().get("attestation").isNull());
        String digest = r.json().get("digest").asText();
        http.get("/v2/acme/plain/hello/manifests/" + Digest.parse(digest).tagForm() + ".sig").assertError(404, "MANIFEST_UNKNOWN");
    }
}
