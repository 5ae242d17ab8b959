package dev.akua.registry.signing.bundle;

import java.time.Instant;

/**
 * What checking one Sigstore bundle found.
 *
 * @param verified       true when everything listed for the bundle's kind verified
 * @param reason         why not (null when verified)
 * @param dsse           true for a DSSE-envelope bundle, false for a message-signature bundle
 * @param predicateType  the in-toto predicate type of a DSSE bundle, or null
 * @param keyFingerprint fingerprint of the trusted key that verified a key-based bundle, or null
 * @param keyHint        the bundle's {@code publicKey.hint}, or null
 * @param identity       the certificate's subject (SAN) of a keyless bundle, or null
 * @param issuer         the certificate's OIDC issuer of a keyless bundle, or null
 * @param signedAt       the verified signing time (Rekor inclusion promise or RFC 3161 timestamp), or null
 * @param logIndex       the transparency-log index of a keyless bundle's entry, or null
 */
public record BundleCheck(boolean verified, String reason, boolean dsse, String predicateType,
                          String keyFingerprint, String keyHint, String identity, String issuer,
                          Instant signedAt, Long logIndex) {

    static BundleCheck failed(String reason, boolean dsse, String predicateType) {
        return new BundleCheck(false, reason, dsse, predicateType, null, null, null, null, null, null);
    }
}
