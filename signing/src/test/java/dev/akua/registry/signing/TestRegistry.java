package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.dsse.Dsse;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.wire.WireJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Builds repository content the way akua and cosign push it, into an {@link InMemoryContent}. */
final class TestRegistry {
    static final RepositoryName REPO = RepositoryName.parse("acme/app");
    static final String REF = "registry.example/acme/app";

    final InMemoryContent content = new InMemoryContent();
    final WireJson json = new WireJson();
    final SimpleSigning simpleSigning = new SimpleSigning(json);
    final SidecarManifests sidecars = new SidecarManifests(json);
    final Dsse dsse = new Dsse(json);

    /** Pushes an akua package whose layer is {@code layerText}; returns its manifest digest. */
    Digest pushArtifact(String layerText, String tag) {
        byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
        content.putBlob(REPO, layer);
        content.putBlob(REPO, AkuaVector.CONFIG);
        return content.putManifest(REPO, AkuaVector.manifest(layer), tag);
    }

    byte[] payloadFor(Digest digest) {
        return simpleSigning.payload(REF, digest);
    }

    /** A signature layer over {@code payload} with {@code signature} (any bytes) as its annotation. */
    SidecarLayer layer(byte[] payload, byte[] signature) {
        return layer(payload, Base64.getEncoder().encodeToString(signature));
    }

    SidecarLayer layer(byte[] payload, String annotation) {
        content.putBlob(REPO, payload);
        return new SidecarLayer(MediaTypes.COSIGN_SIMPLE_SIGNING, Digest.sha256(payload), payload.length,
                Map.of(SimpleSigning.SIGNATURE_ANNOTATION, annotation));
    }

    /** Pushes a .sig sidecar for {@code subject} with these layers; returns the sidecar digest. */
    Digest pushSignatures(Digest subject, List<SidecarLayer> layers) {
        content.putBlob(REPO, SidecarManifests.EMPTY_CONFIG);
        return content.putManifest(REPO, sidecars.build(layers), SidecarManifests.signatureTag(subject).value());
    }

    /** Signs the proper payload of {@code subject} with {@code key} and pushes it as a one-layer sidecar. */
    Digest sign(Digest subject, SigningKey key) {
        byte[] payload = payloadFor(subject);
        return pushSignatures(subject, List.of(layer(payload, key.sign(payload))));
    }

    /** Pushes an .att sidecar holding a DSSE envelope of {@code statement} signed by {@code key}. */
    Digest attest(Digest subject, byte[] statement, SigningKey key) {
        byte[] envelope = dsse.write(Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement, key));
        content.putBlob(REPO, envelope);
        content.putBlob(REPO, SidecarManifests.EMPTY_CONFIG);
        return content.putManifest(REPO, sidecars.build(List.of(new SidecarLayer(MediaTypes.DSSE_ENVELOPE,
                Digest.sha256(envelope), envelope.length, Map.of()))), SidecarManifests.attestationTag(subject).value());
    }

    static List<SidecarLayer> repeat(SidecarLayer layer, int n) {
        List<SidecarLayer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(layer);
        }
        return out;
    }
}
