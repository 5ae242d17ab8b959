package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;

import java.util.List;
import java.util.Objects;

/**
 * What the registry must push to record a server-made signature or attestation: the blobs first,
 * then the manifests in order (a tagged sidecar, and possibly a referrer stored by digest).
 *
 * @param keyName        the key used
 * @param keyFingerprint its fingerprint (for the audit log and the response)
 * @param subject        the signed manifest digest
 * @param blobs          blobs to store first
 * @param manifests      manifests to store next, in order
 * @param basedOn        digest of the sidecar manifest the new one extends (null when there was none);
 *                       a registry with compare-and-swap tag updates should only move the tag if it
 *                       still points there, and otherwise sign again
 * @param alreadySigned  true when the sidecar already held a signature by this key over the same
 *                       payload; nothing needs pushing then (cosign's duplicate detection)
 */
public record SigningResult(String keyName, String keyFingerprint, Digest subject, List<BlobUpload> blobs,
                            List<ManifestUpload> manifests, Digest basedOn, boolean alreadySigned) {
    public SigningResult {
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(keyFingerprint, "keyFingerprint");
        Objects.requireNonNull(subject, "subject");
        blobs = List.copyOf(blobs);
        manifests = List.copyOf(manifests);
    }
}
