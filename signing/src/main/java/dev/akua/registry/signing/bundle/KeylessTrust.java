package dev.akua.registry.signing.bundle;

import dev.sigstore.KeylessVerifier;
import dev.sigstore.trustroot.SigstoreTrustedRoot;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A Sigstore trust root read from a {@code trusted_root.json} (Fulcio CAs, Rekor logs, CT logs,
 * timestamp authorities), with the sigstore-java verifier built on it. Nothing is fetched: the
 * trust root is exactly the file given in configuration (no TUF, no public-good instance).
 */
public final class KeylessTrust {
    private final KeylessVerifier verifier;
    private final String digest;

    private KeylessTrust(KeylessVerifier verifier, String digest) {
        this.verifier = verifier;
        this.digest = digest;
    }

    /** Parses {@code trusted_root.json}; throws IllegalArgumentException with the reason when it is unusable. */
    public static KeylessTrust fromTrustedRootJson(byte[] json) {
        try {
            SigstoreTrustedRoot root = SigstoreTrustedRoot.from(new ByteArrayInputStream(json));
            if (root.getCAs().isEmpty()) {
                throw new IllegalArgumentException("trusted root lists no certificate authorities");
            }
            if (root.getTLogs().isEmpty()) {
                throw new IllegalArgumentException("trusted root lists no transparency logs");
            }
            KeylessVerifier verifier = KeylessVerifier.builder().trustedRootProvider(() -> root).build();
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
            return new KeylessTrust(verifier, digest);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("trusted root is unusable: " + e.getMessage(), e);
        }
    }

    KeylessVerifier verifier() {
        return verifier;
    }

    /** Digest of the trusted root file; part of a policy's version. */
    public String digest() {
        return digest;
    }
}
