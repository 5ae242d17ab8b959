package dev.akua.registry.lockfile.signature;

/**
 * The port through which lock resolution asks whether an OCI dependency is signed by someone it
 * trusts: the workspace's cosign key when {@link SignatureEvidence#publicKeyPem()} is present,
 * otherwise the registry's trust policy. Implemented by the registry module with the signing
 * module; it must not do I/O beyond its own trust material. With {@code strict_signing = true}
 * (akua's default) a {@link SignatureVerdict.Rejected} fails the lock naming the dependency; with
 * {@code strict_signing = false} the entry is written without {@code signature}.
 */
@FunctionalInterface
public interface SignatureVerifier {
    SignatureVerdict verify(SignatureEvidence evidence);

    /** A verifier that trusts nothing: every dependency is unverified (for deployments without trust material). */
    static SignatureVerifier trustingNothing() {
        return evidence -> new SignatureVerdict.Rejected("no trust material is configured to verify signatures");
    }
}
