package dev.akua.registry.signing;

import dev.akua.registry.oci.Digest;

import java.util.Objects;

/**
 * One signature or attestation found for a subject, and whether it verified.
 *
 * @param kind           signature or attestation
 * @param format         how it is stored
 * @param source         found through the cosign tag convention or the referrers API
 * @param tag            the sidecar tag it was found under ({@code sha256-<hex>.sig}/{@code .att}), or null for referrers
 * @param manifestDigest digest of the sidecar or referrer manifest holding it
 * @param layer          index of the layer within that manifest, or -1 when the finding is about the whole manifest
 * @param verified       true when it verified under the policy
 * @param signer         who signed it, as far as known (also set when the signature is valid but a claim is wrong), or null
 * @param predicateType  in-toto predicate type of an attestation or DSSE bundle, or null
 * @param reason         why it did not verify (null when verified)
 */
public record Finding(Kind kind, Format format, Source source, String tag, Digest manifestDigest, int layer,
                      boolean verified, Signer signer, String predicateType, String reason) {
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(source, "source");
        if (!verified) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public enum Kind { SIGNATURE, ATTESTATION }

    public enum Format {
        /** A {@code .sig} layer: cosign simple-signing payload + signature annotation. */
        SIMPLE_SIGNING("cosign-simple-signing"),
        /** A {@code .att} layer: DSSE envelope around an in-toto statement. */
        DSSE("dsse"),
        /** An OCI 1.1 referrer carrying a Sigstore bundle. */
        SIGSTORE_BUNDLE("sigstore-bundle");

        private final String wire;

        Format(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public enum Source {
        TAG("tag"), REFERRER("referrer");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    Finding withKind(Kind newKind) {
        return new Finding(newKind, format, source, tag, manifestDigest, layer, verified, signer, predicateType, reason);
    }

    Finding withSigner(Signer newSigner) {
        return new Finding(kind, format, source, tag, manifestDigest, layer, verified, newSigner, predicateType, reason);
    }
}
