package dev.akua.registry.lockfile.signature;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.akua.registry.oci.Digest;

/**
 * What the OCI resolver found for one dependency, for a {@link SignatureVerifier} to judge. The
 * resolver fetched the cosign sidecar {@code <repo>:sha256-<manifest hex>.sig} from the same
 * registry (wire contract §3.3–3.4) and checked every payload blob against its descriptor digest;
 * nothing here has been verified cryptographically.
 *
 * @param dependency      the dependency's name (for messages)
 * @param reference       {@code host[:port]/repository}, the docker-reference form (no {@code oci://})
 * @param tag             the tag that was resolved
 * @param manifestDigest  sha256 of the artifact manifest bytes as served: what a signature must cover
 * @param signatures      the simple-signing layers of the .sig manifest, in order
 * @param bundles         Sigstore bundles stored as OCI 1.1 referrers of the manifest (cosign v3's
 *                        default), each read from its referrer's bundle layer; with {@code signatures}
 *                        both empty the dependency is unsigned
 * @param publicKeyPem    the workspace's {@code [signing].cosign_public_key} (SPKI PEM), if configured
 * @param registryAuthority the {@code host[:port]} under which the caller reached the registry running
 *                        the resolution, if one does: a {@code reference} with this authority is one of
 *                        that registry's own repositories
 */
public record SignatureEvidence(String dependency,
                                String reference,
                                String tag,
                                Digest manifestDigest,
                                List<Signature> signatures,
                                List<byte[]> bundles,
                                Optional<String> publicKeyPem,
                                Optional<String> registryAuthority) {
    public SignatureEvidence {
        Objects.requireNonNull(dependency, "dependency");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(manifestDigest, "manifestDigest");
        signatures = List.copyOf(signatures);
        bundles = bundles.stream().map(byte[]::clone).toList();
        Objects.requireNonNull(publicKeyPem, "publicKeyPem");
        Objects.requireNonNull(registryAuthority, "registryAuthority");
    }

    /** The {@code host[:port]} part of {@link #reference}. */
    public String authority() {
        int slash = reference.indexOf('/');
        return slash < 0 ? reference : reference.substring(0, slash);
    }

    /** The repository part of {@link #reference}. */
    public String repository() {
        int slash = reference.indexOf('/');
        return slash < 0 ? "" : reference.substring(slash + 1);
    }

    /**
     * One {@code application/vnd.dev.cosign.simplesigning.v1+json} layer.
     *
     * @param payload         the payload bytes (checked against the layer digest)
     * @param signatureBase64 the {@code dev.cosignproject.cosign/signature} annotation, or null
     * @param annotations     all layer annotations (certificate, chain, bundle for keyless verifiers)
     */
    public record Signature(byte[] payload, String signatureBase64, Map<String, String> annotations) {
        public Signature {
            payload = payload.clone();
            annotations = Map.copyOf(annotations);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }
}
