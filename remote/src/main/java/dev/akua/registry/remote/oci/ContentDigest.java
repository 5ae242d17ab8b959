package dev.akua.registry.remote.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The digests the distribution API names content by ({@code sha256:<64 hex>}, {@code sha512:<128 hex>}),
 * checked before they go into a URL and used to hash content as it streams. Kept here rather than
 * borrowed from oci-model because this module depends on nothing of the project (docs/notes/remote.md).
 */
final class ContentDigest {
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");

    private ContentDigest() {
    }

    static String check(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256/sha512 digest: " + digest);
        }
        return digest;
    }

    static boolean isDigest(String value) {
        return value != null && DIGEST.matcher(value).matches();
    }

    static MessageDigest hasher(String digest) {
        String algorithm = digest.startsWith("sha512:") ? "SHA-512" : "SHA-256";
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    static String of(String likeDigest, byte[] content) {
        MessageDigest md = hasher(likeDigest);
        return finish(likeDigest, md.digest(content));
    }

    static String finish(String likeDigest, byte[] hash) {
        return likeDigest.substring(0, likeDigest.indexOf(':') + 1) + HexFormat.of().formatHex(hash);
    }
}
