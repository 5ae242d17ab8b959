package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.signature.SignatureEvidence;
import dev.akua.registry.lockfile.signature.SignatureVerdict;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.TrustedKey;
import dev.akua.registry.signing.bundle.BundleCheck;
import dev.akua.registry.signing.bundle.BundleVerifier;
import dev.akua.registry.signing.bundle.IdentityRule;
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
 * The lock resolver's signature port over the signing module. Two kinds of evidence are judged:
 * <ul>
 *   <li>cosign key signatures as akua 0.8.5 checks them ({@code verify_keyed}, wire contract §3.4),
 *       the simple-signing layers of the dependency's {@code sha256-<manifest hex>.sig} sidecar
 *       (§3.3): the {@code dev.cosignproject.cosign/signature} annotation, base64 (surrounding
 *       whitespace trimmed), DER or raw {@code r||s}; a payload of type {@code cosign container image
 *       signature} whose {@code critical.image.docker-manifest-digest} is the digest of the manifest as
 *       served ({@code docker-reference} is not compared, as neither akua nor cosign's default does);
 *       the signature over the exact payload bytes with a trusted key;</li>
 *   <li>Sigstore bundles stored as OCI 1.1 referrers (cosign v3), checked by the signing module's
 *       {@link BundleVerifier} offline against the registry's {@code signing.trustedRoot}.</li>
 * </ul>
 * What is trusted, the first source that applies:
 * <ol>
 *   <li>the workspace's {@code [signing].cosign_public_key} when the request carries one (only that key);</li>
 *   <li>for a dependency in this registry — its reference names the authority the caller reached the
 *       registry at, or {@code http.publicUrl}'s — the registry's signature policy
 *       ({@code signing.policies}) covering its repository: its keys and its keyless identities,
 *       exactly what {@code enforce: pull} trusts;</li>
 *   <li>the registry's {@code lock.trustedKeys}.</li>
 * </ol>
 * Any one verifying signature suffices. The lock value is {@code cosign:key:<id>} with {@code <id>} the
 * first 16 hex digits of sha256(SubjectPublicKeyInfo DER) — the start of the signing module's key
 * fingerprint, so it depends only on the key — or {@code cosign:sigstore:<issuer>} for a keyless
 * signature (akua's convention, §4.2).
 */
final class CosignSignatureVerifier implements SignatureVerifier {
    static final int KEY_ID_HEX_DIGITS = 16;

    private final List<TrustedKey> registryKeys;
    private final TrustPolicies policies;
    private final Optional<String> publicAuthority;
    private final SimpleSigning simpleSigning = new SimpleSigning(new WireJson());
    private final BundleVerifier bundles;

    CosignSignatureVerifier(List<TrustedKey> registryKeys, TrustPolicies policies, Optional<String> publicAuthority) {
        this.registryKeys = List.copyOf(Objects.requireNonNull(registryKeys, "registryKeys"));
        this.policies = Objects.requireNonNull(policies, "policies");
        this.publicAuthority = Objects.requireNonNull(publicAuthority, "publicAuthority");
        this.bundles = new BundleVerifier(new WireJson(), policies.trustedRoot());
    }

    /** The registry's policy for the dependency, when it lives in this registry and a policy covers it. */
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
        return policies.forRepository(repository);
    }

    /** {@code cosign:key:<first 16 hex digits of sha256(SPKI DER)>}. */
    static String lockValue(VerificationKey key) {
        String hex = key.fingerprint().substring("sha256:".length());
        return "cosign:key:" + hex.substring(0, KEY_ID_HEX_DIGITS);
    }

    @Override
    public SignatureVerdict verify(SignatureEvidence evidence) {
        List<VerificationKey> keys = new ArrayList<>();
        List<IdentityRule> identities = new ArrayList<>();
        String trustSource;
        Optional<TrustPolicy> own = evidence.publicKeyPem().isPresent() ? Optional.empty() : ownPolicy(evidence);
        if (evidence.publicKeyPem().isPresent()) {
            try {
                keys.add(TrustedKey.fromPem("workspace", evidence.publicKeyPem().get()).key());
            } catch (RuntimeException e) {
                return new SignatureVerdict.Rejected("the workspace's [signing].cosign_public_key is not a usable public key: "
                        + e.getMessage());
            }
            trustSource = "the workspace key " + lockValue(keys.getFirst()).substring("cosign:key:".length());
        } else if (own.isPresent()) {
            own.get().keys().forEach(k -> keys.add(k.key()));
            own.get().identities().forEach(i -> identities.add(new IdentityRule(i.issuer(), i.issuerRegex(), i.subject(), i.subjectRegex())));
            trustSource = "the registry's signature policy '" + own.get().name() + "'";
        } else if (!registryKeys.isEmpty()) {
            registryKeys.forEach(k -> keys.add(k.key()));
            trustSource = "the registry's lock.trustedKeys";
        } else {
            return new SignatureVerdict.Rejected("nothing to verify with: the workspace has no [signing].cosign_public_key,"
                    + " no signature policy of this registry covers it, and the registry trusts no key (lock.trustedKeys)");
        }

        Set<String> problems = new LinkedHashSet<>();
        int index = 0;
        for (SignatureEvidence.Signature signature : evidence.signatures()) {
            index++;
            Optional<String> verified = checkSidecarLayer(signature, evidence, keys, "signature " + index, trustSource, problems);
            if (verified.isPresent()) {
                return new SignatureVerdict.Verified(verified.get());
            }
        }
        index = 0;
        for (byte[] bundle : evidence.bundles()) {
            index++;
            BundleCheck check = bundles.verify(bundle, evidence.manifestDigest(), keys, identities);
            if (check.verified()) {
                if (check.issuer() != null) {
                    return new SignatureVerdict.Verified("cosign:sigstore:" + check.issuer());
                }
                Optional<VerificationKey> key = keys.stream().filter(k -> k.fingerprint().equals(check.keyFingerprint())).findFirst();
                if (key.isPresent()) {
                    return new SignatureVerdict.Verified(lockValue(key.get()));
                }
            }
            problems.add("Sigstore bundle " + index + " does not verify with " + trustSource + ": " + check.reason());
        }
        if (problems.isEmpty()) {
            problems.add("no signatures");
        }
        return new SignatureVerdict.Rejected(String.join("; ", problems));
    }

    /** One simple-signing layer of the sidecar: the lock value when it verifies, else a problem recorded. */
    private Optional<String> checkSidecarLayer(SignatureEvidence.Signature signature, SignatureEvidence evidence, List<VerificationKey> keys,
                                               String where, String trustSource, Set<String> problems) {
        if (signature.signatureBase64() == null) {
            problems.add(where + " has no " + SimpleSigning.SIGNATURE_ANNOTATION + " annotation"
                    + (signature.annotations().containsKey(SimpleSigning.CERTIFICATE_ANNOTATION)
                    ? " (certificate signatures in .sig sidecars are not verified; keyless signatures are read from Sigstore bundles)" : ""));
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature.signatureBase64().strip());
        } catch (IllegalArgumentException e) {
            problems.add(where + " is not base64");
            return Optional.empty();
        }
        byte[] payload = signature.payload();
        SimpleSigning.Claims claims;
        try {
            claims = simpleSigning.parse(payload);
        } catch (RuntimeException e) {
            problems.add(where + ": " + e.getMessage());
            return Optional.empty();
        }
        if (!SimpleSigning.TYPE.equals(claims.type())) {
            problems.add(where + " has type `" + claims.type() + "`, not `" + SimpleSigning.TYPE + "`");
            return Optional.empty();
        }
        if (!claims.names(evidence.manifestDigest())) {
            problems.add(where + " signs " + claims.manifestDigest() + ", not the served manifest " + evidence.manifestDigest());
            return Optional.empty();
        }
        for (VerificationKey key : keys) {
            SignatureCheck check = key.verify(payload, raw);
            if (check.valid()) {
                return Optional.of(lockValue(key));
            }
        }
        problems.add(where + " does not verify with " + trustSource);
        return Optional.empty();
    }
}
