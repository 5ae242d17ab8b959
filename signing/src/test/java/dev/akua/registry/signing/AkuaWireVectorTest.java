package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.wire.WireJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The akua test vector of the wire contract (§2.1 digests, §3.2 payload, §3.3 sidecar) reproduced byte for byte. */
class AkuaWireVectorTest {
    private final WireJson json = new WireJson();

    @Test
    void digests_ofAkuaTestArtifact_matchWireContract() {
        assertEquals("sha256:175d00b070177b5643ac37c5dda28069201b5975c9fb8d8b270f5c681a87f107", Digest.sha256(AkuaVector.LAYER).toString());
        assertEquals(32, AkuaVector.LAYER.length);
        assertEquals(23, AkuaVector.CONFIG.length);
        assertEquals("sha256:242f773df70f5b5749d2fd3088866ede09eaac49109f73613edcabda868e67ff", Digest.sha256(AkuaVector.CONFIG).toString());
        assertEquals(AkuaVector.MANIFEST_DIGEST, Digest.sha256(AkuaVector.manifest()).toString());
    }

    @Test
    void payload_forAkuaTestArtifact_isAkuaBytes() {
        byte[] payload = new SimpleSigning(json).payload("ghcr.io/acme/app", Digest.parse(AkuaVector.MANIFEST_DIGEST));
        String expected = "{\"critical\":{\"identity\":{\"docker-reference\":\"ghcr.io/acme/app\"},\"image\":{\"docker-manifest-digest\":\""
                + AkuaVector.MANIFEST_DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        assertEquals(expected, new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void sidecar_forAkuaTestArtifact_isAkuaCompactForm() {
        byte[] payload = new SimpleSigning(json).payload("ghcr.io/acme/app", Digest.parse(AkuaVector.MANIFEST_DIGEST));
        Digest payloadDigest = Digest.sha256(payload);
        String signature = "MEUCIQDxSignatureBytesAreOpaqueHere+/==";
        byte[] manifest = new SidecarManifests(json).build(List.of(new SidecarLayer(MediaTypes.COSIGN_SIMPLE_SIGNING, payloadDigest,
                payload.length, Map.of(SimpleSigning.SIGNATURE_ANNOTATION, signature))));
        String expected = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,"
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payload.length
                + ",\"digest\":\"" + payloadDigest + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signature + "\"}}]}";
        assertEquals(expected, new String(manifest, StandardCharsets.UTF_8));
    }

    @Test
    void attestationSidecar_forAkuaTestArtifact_hasNoLayerAnnotations() {
        Digest envelope = Digest.sha256("{}".getBytes(StandardCharsets.US_ASCII));
        byte[] manifest = new SidecarManifests(json).build(List.of(new SidecarLayer(MediaTypes.DSSE_ENVELOPE, envelope, 2, Map.of())));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,"
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.dsse.envelope.v1+json\",\"size\":2,\"digest\":\"" + envelope + "\"}]}",
                new String(manifest, StandardCharsets.UTF_8));
    }

    @Test
    void sidecarTags_forAkuaTestArtifact_are75CharacterCosignTags() {
        Digest subject = Digest.parse(AkuaVector.MANIFEST_DIGEST);
        assertEquals("sha256-a3e44727e4012a529cc5a93273488a3b3c5ff62c3f23debd1eacb5143aa4b577.sig", SidecarManifests.signatureTag(subject).value());
        assertEquals("sha256-a3e44727e4012a529cc5a93273488a3b3c5ff62c3f23debd1eacb5143aa4b577.att", SidecarManifests.attestationTag(subject).value());
        assertEquals(75, SidecarManifests.signatureTag(subject).value().length());
        assertEquals("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", SidecarManifests.EMPTY_CONFIG_DIGEST.toString());
    }
}
