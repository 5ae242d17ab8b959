package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.remote.oci.DistributionRegistry;
import dev.akua.registry.signing.cosign.SidecarLayer;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.signing.wire.WireJson;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test content pushed to upstreams the way clients push it: images, indexes, cosign sidecars, OCI 1.1 referrers. */
final class Content {
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private Content() {
    }

    record Image(byte[] manifest, String digest, String config, String layer, int layerSize) {
    }

    static String digest(byte[] content) {
        return Digest.sha256(content).toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String descriptor(String mediaType, String digest, int size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** Pushes config and layer, then the manifest under {@code tag} (or by digest when tag is null). */
    static Image image(DistributionRegistry d, String repo, String tag, String seed, int layerSize) throws Exception {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] layer = random(layerSize, seed.hashCode());
        String c = d.pushBlob(repo, config);
        String l = d.pushBlob(repo, layer);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, c, config.length) + ",\"layers\":[" + descriptor(LAYER, l, layer.length) + "]}");
        String m = d.pushManifest(repo, tag == null ? digest(manifest) : tag, manifest, MediaTypes.OCI_MANIFEST);
        return new Image(manifest, m, c, l, layerSize);
    }

    static String index(DistributionRegistry d, String repo, String tag, Image amd64, Image arm64) throws Exception {
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + amd64.digest() + "\",\"size\":" + amd64.manifest().length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + arm64.digest() + "\",\"size\":" + arm64.manifest().length
                + ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}");
        return d.pushManifest(repo, tag, index, MediaTypes.OCI_INDEX);
    }

    /** A cosign key signature of {@code subject} under {@code sha256-<hex>.sig}, as cosign and akua push it; returns the sidecar digest. */
    static String sign(DistributionRegistry d, String repo, String subject, SigningKey key) throws Exception {
        WireJson json = new WireJson();
        byte[] payload = new SimpleSigning(json).payload(d.host() + "/" + repo, Digest.parse(subject));
        String p = d.pushBlob(repo, payload);
        d.pushBlob(repo, SidecarManifests.EMPTY_CONFIG);
        String signature = Base64.getEncoder().encodeToString(key.sign(payload));
        byte[] sidecar = new SidecarManifests(json).build(List.of(new SidecarLayer(MediaTypes.COSIGN_SIMPLE_SIGNING, Digest.parse(p),
                payload.length, Map.of(SimpleSigning.SIGNATURE_ANNOTATION, signature))));
        return d.pushManifest(repo, Digest.parse(subject).tagForm() + ".sig", sidecar, MediaTypes.OCI_MANIFEST);
    }

    /** An attestation sidecar ({@code .att}, one DSSE layer) of {@code subject}; returns its digest. */
    static String attest(DistributionRegistry d, String repo, String subject) throws Exception {
        byte[] envelope = utf8("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[]}");
        String e = d.pushBlob(repo, envelope);
        d.pushBlob(repo, SidecarManifests.EMPTY_CONFIG);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(SidecarManifests.EMPTY_CONFIG).toString(), 2)
                + ",\"layers\":[" + descriptor(MediaTypes.DSSE_ENVELOPE, e, envelope.length) + "]}");
        return d.pushManifest(repo, Digest.parse(subject).tagForm() + ".att", manifest, MediaTypes.OCI_MANIFEST);
    }

    /**
     * An OCI 1.1 referrer (an SBOM artifact whose {@code subject} is the image), plus the referrers
     * tag-schema index {@code sha256-<hex>} that clients write to registries without the referrers
     * API; returns the referrer's digest.
     */
    static String referrer(DistributionRegistry d, String repo, Image subject, String artifactType) throws Exception {
        byte[] empty = utf8("{}");
        byte[] sbom = utf8("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"" + subject.digest() + "\"}");
        d.pushBlob(repo, empty);
        String s = d.pushBlob(repo, sbom);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"" + artifactType
                + "\",\"config\":" + descriptor(MediaTypes.OCI_EMPTY, digest(empty), 2)
                + ",\"layers\":[" + descriptor("application/spdx+json", s, sbom.length) + "],\"subject\":"
                + descriptor(MediaTypes.OCI_MANIFEST, subject.digest(), subject.manifest().length) + "}");
        String r = d.pushManifest(repo, digest(manifest), manifest, MediaTypes.OCI_MANIFEST);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + r + "\",\"size\":" + manifest.length + ",\"artifactType\":\"" + artifactType + "\"}]}");
        d.pushManifest(repo, Digest.parse(subject.digest()).tagForm(), index, MediaTypes.OCI_INDEX);
        return r;
    }
}
