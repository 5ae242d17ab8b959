package dev.akua.registry.oci;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest {@code <algorithm>:<encoded>} (OCI image spec, descriptor.md "Digests").
 * Only registered algorithms are representable; the encoded part is lower-case hex of the exact
 * length the algorithm produces.
 *
 * @param algorithm the algorithm
 * @param hex       lower-case hex of the hash
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Reference {
    /** The grammar of the spec: {@code algorithm ":" encoded}. */
    private static final Pattern GRAMMAR =
            Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]+");
    private static final HexFormat HEX = HexFormat.of();

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != algorithm.hexLength() || !LOWER_HEX.matcher(hex).matches()) {
            throw OciException.of(ErrorCode.DIGEST_INVALID,
                    "invalid " + algorithm.id() + " digest: expected " + algorithm.hexLength() + " lower-case hex characters");
        }
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}; anything else is {@code DIGEST_INVALID}. */
    public static Digest parse(String value) {
        if (value == null || value.length() > 256 || !GRAMMAR.matcher(value).matches()) {
            throw OciException.of(ErrorCode.DIGEST_INVALID, "invalid digest: " + abbreviate(value));
        }
        int colon = value.indexOf(':');
        return new Digest(DigestAlgorithm.parse(value.substring(0, colon)), value.substring(colon + 1));
    }

    /** True if the string has the digest shape ({@code algo:encoded}), registered or not. */
    public static boolean looksLikeDigest(String value) {
        return value != null && value.indexOf(':') > 0;
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        return fromHash(algorithm, algorithm.newMessageDigest().digest(content));
    }

    public static Digest sha256(byte[] content) {
        return of(DigestAlgorithm.SHA256, content);
    }

    /** Wraps a finished hash; use with {@link DigestAlgorithm#newMessageDigest()}. */
    public static Digest fromHash(DigestAlgorithm algorithm, byte[] hash) {
        return new Digest(algorithm, HEX.formatHex(hash));
    }

    public static Digest fromHash(DigestAlgorithm algorithm, MessageDigest md) {
        return fromHash(algorithm, md.digest());
    }

    /** The encoded part, e.g. the 64 hex characters of a sha256 digest. */
    public String encoded() {
        return hex;
    }

    /** The cosign/referrers-tag form {@code sha256-<hex>} (distribution-spec "Referrers Tag Schema"). */
    public String tagForm() {
        return algorithm.id() + "-" + hex;
    }

    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }

    static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
