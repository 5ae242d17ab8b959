package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.signature.SignatureEvidence;
import dev.akua.registry.lockfile.signature.SignatureVerdict;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.TrustedKey;
import dev.akua.registry.signing.cosign.SimpleSigning;
import dev.akua.registry.signing.key.SignatureCheck;
import dev.akua.registry.signing.key.VerificationKey;
import dev.akua.registry.signing.wire.WireJson;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The lock resolver's signature port over the signing module: cosign key signatures as akua 0.8.5
 * checks them ({@code verify_keyed}, wire contract §3.4), for the simple-signing layers of a
 * dependency's {@code sha256-<manifest hex>.sig} sidecar (§3.3):
 * <ol>
 *   <li>the {@code dev.cosignproject.cosign/signature} annotation, base64 (surrounding whitespace
 *       trimmed), DER or raw {@code r||s} ({@link VerificationKey#verify});</li>
 *   <li>the payload is a simple-signing document of type {@code cosign container image signature}
 *       whose {@code critical.image.docker-manifest-digest} is the digest of the manifest as served;
 *       {@code docker-reference} is not compared (neither akua nor cosign's default does);</li>
 *   <li>the signature verifies over the exact payload bytes with a trusted key.</li>
 * </ol>
 * The trusted keys, the first source that has any:
 * <ol>
 *   <li>the workspace's {@code [signing].cosign_public_key} when the request carries one (only that key);</li>
 *   <li>for a dependency in this registry — its reference names the authority the caller reached the
 *       registry at, or {@code http.publicUrl}'s — the keys of the registry's signature policy
 *       ({@code signing.policies}) covering its repository, the same keys {@code enforce: pull} uses;</li>
 *   <li>the registry's {@code lock.trustedKeys}.</li>
 * </ol>
 * Any one verifying signature suffices. Keyless (certificate) signatures are not judged here: a layer without the
 * signature annotation is reported and skipped.
 *
 * <p>The lock value is {@code cosign:key:<id>} with {@code <id>} the first 16 hex digits of
 * sha256(SubjectPublicKeyInfo DER), i.e. the start of the signing module's key fingerprint, so it
 * depends only on the key (the same lock text whether resolved locally or through the API).
 */
final class CosignKeySignatureVerifier implements SignatureVerifier {
    static final int KEY_ID_HEX_DIGITS = 16;

    private final List<TrustedKey> registryKeys;
    private final TrustPolicies policies;
    private final Optional<String> publicAuthority;
    private final SimpleSigning simpleSigning = new SimpleSigning(new WireJson());

    CosignKeySignatureVerifier(List<TrustedKey> registryKeys, TrustPolicies policies, Optional<String> publicAuthority) {
        this.registryKeys = List.copyOf(Objects.requireNonNull(registryKeys, "registryKeys"));
        this.policies = Objects.requireNonNull(policies, "policies");
        this.publicAuthority = Objects.requireNonNull(publicAuthority, "publicAuthority");
    }

    /** The registry's policy for the dependency, when it lives in this registry and a policy with keys covers it. */
    private Optional<TrustPolicy> ownPolicy(SignatureEvidence evidence) {
        String authority = evidence.authority().toLowerCase(Locale.ROOT);
        boolean local = evidence.registryAuthority().map(a -> a.equalsIgnoreCase(authority)).orElse(false)
                || publicAuthority.map(a -> a.equals(authority)).orElse(false);
        if (!local) {
            return Optional.empty();
        }
        RepositoryName repository;
        try {
            repository = RepositoryName.parse(evidence.repository());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return policies.forRepository(repository).filter(p -> !p.keys().isEmpty());
    }

    /** {@code cosign:key:<first 16 hex digits of sha256(SPKI DER)>}. */
    static String lockValue(VerificationKey key) {
        String hex = key.fingerprint().substring("sha256:".length());
        return "cosign:key:" + hex.substring(0, KEY_ID_HEX_DIGITS);
    }

    @Override
    public SignatureVerdict verify(SignatureEvidence evidence) {
        List<VerificationKey> keys = new ArrayList<>();
        String keySource;
        Optional<TrustPolicy> own = evidence.publicKeyPem().isPresent() ? Optional.empty() : ownPolicy(evidence);
        if (evidence.publicKeyPem().isPresent()) {
            try {
                keys.add(TrustedKey.fromPem("workspace", evidence.publicKeyPem().get()).key());
            } catch (RuntimeException e) {
                return new SignatureVerdict.Rejected("the workspace's [signing].cosign_public_key is not a usable public key: "
                        + e.getMessage());
            }
            keySource = "the workspace key " + lockValue(keys.getFirst()).substring("cosign:key:".length());
        } else if (own.isPresent()) {
            own.get().keys().forEach(k -> keys.add(k.key()));
            keySource = "the keys of the registry's signature policy '" + own.get().name() + "'";
        } else if (!registryKeys.isEmpty()) {
            registryKeys.forEach(k -> keys.add(k.key()));
            keySource = "the registry's lock.trustedKeys";
        } else {
            return new SignatureVerdict.Rejected("no key to verify with: the workspace has no [signing].cosign_public_key,"
                    + " no signature policy of this registry with keys covers it, and the registry trusts no key (lock.trustedKeys)");
        }

        Set<String> problems = new LinkedHashSet<>();
        int index = 0;
        for (SignatureEvidence.Signature signature : evidence.signatures()) {
            index++;
            String where = "signature " + index;
            if (signature.signatureBase64() == null) {
                problems.add(where + " has no " + SimpleSigning.SIGNATURE_ANNOTATION + " annotation"
                        + (signature.annotations().containsKey(SimpleSigning.CERTIFICATE_ANNOTATION)
                        ? " (keyless signatures are not verified by lock resolution)" : ""));
                continue;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(signature.signatureBase64().strip());
            } catch (IllegalArgumentException e) {
                problems.add(where + " is not base64");
                continue;
            }
            byte[] payload = signature.payload();
            SimpleSigning.Claims claims;
            try {
                claims = simpleSigning.parse(payload);
            } catch (RuntimeException e) {
                problems.add(where + ": " + e.getMessage());
                continue;
            }
            if (!SimpleSigning.TYPE.equals(claims.type())) {
                problems.add(where + " has type `" + claims.type() + "`, not `" + SimpleSigning.TYPE + "`");
                continue;
            }
            if (!claims.names(evidence.manifestDigest())) {
                problems.add(where + " signs " + claims.manifestDigest() + ", not the served manifest " + evidence.manifestDigest());
                continue;
            }
            for (VerificationKey key : keys) {
                SignatureCheck check = key.verify(payload, raw);
                if (check.valid()) {
                    return new SignatureVerdict.Verified(lockValue(key));
                }
            }
            problems.add(where + " does not verify with " + keySource);
        }
        if (problems.isEmpty()) {
            problems.add("no signatures");
        }
        return new SignatureVerdict.Rejected(String.join("; ", problems));
    }
}
