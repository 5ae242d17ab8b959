package dev.akua.registry.oci;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The registered digest algorithms of the OCI image spec (descriptor.md, "Registered algorithms"):
 * {@code sha256} (canonical) and {@code sha512}. Other syntactically valid algorithms are
 * answered with {@code DIGEST_INVALID} (distribution-spec: "if the client provided digest … uses an
 * unsupported algorithm, the registry SHOULD respond with 400").
 */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String id, String jcaName, int hexLength) {
        this.id = id;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    public static DigestAlgorithm parse(String id) {
        for (DigestAlgorithm a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw OciException.of(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + id);
    }

    /** The name used in digest strings, e.g. {@code sha256}. */
    public String id() {
        return id;
    }

    public int hexLength() {
        return hexLength;
    }

    public MessageDigest newMessageDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
