package dev.akua.registry.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may sign artifacts of the repositories matching {@code repositories}, and what happens when
 * nobody did.
 *
 * <p>The policy is met for a manifest digest when at least one signature (a {@code .sig} layer, or
 * a Sigstore bundle referrer that is a signature) verifies with one of {@code keys} or one of
 * {@code identities}, and every predicate type in {@code requiredAttestations} has at least one
 * verified attestation ({@code .att} layer or bundle referrer).
 *
 * @param name                 label in reports and deny messages
 * @param repositories         which repositories it covers
 * @param keys                 trusted public keys
 * @param identities           trusted keyless identities (need a trusted root in {@link TrustPolicies})
 * @param enforcement          whether pulls of unsigned artifacts are refused
 * @param requiredAttestations predicate types that must each have a verified attestation; may be empty
 */
public record TrustPolicy(String name, List<RepositoryPattern> repositories, List<TrustedKey> keys,
                          List<KeylessIdentity> identities, Enforcement enforcement,
                          List<String> requiredAttestations) {
    public TrustPolicy {
        Objects.requireNonNull(name, "name");
        repositories = List.copyOf(repositories);
        keys = List.copyOf(keys);
        identities = List.copyOf(identities);
        Objects.requireNonNull(enforcement, "enforcement");
        requiredAttestations = List.copyOf(requiredAttestations);
        if (repositories.isEmpty()) {
            throw new IllegalArgumentException("policy " + name + " covers no repositories");
        }
        if (keys.isEmpty() && identities.isEmpty()) {
            throw new IllegalArgumentException("policy " + name + " trusts no keys and no keyless identities");
        }
    }

    public boolean covers(dev.akua.registry.oci.RepositoryName repository) {
        return repositories.stream().anyMatch(p -> p.matches(repository));
    }

    /** The trusted key with this fingerprint, if any (names it in reports). */
    public Optional<TrustedKey> keyByFingerprint(String fingerprint) {
        return keys.stream().filter(k -> k.fingerprint().equals(fingerprint)).findFirst();
    }

    /**
     * A digest of everything that decides a verification result under this policy; cached results
     * are keyed by it, so a changed policy never serves an old answer.
     */
    String contentVersion() {
        StringBuilder s = new StringBuilder("policy\n").append(name).append('\n');
        repositories.forEach(r -> s.append("repo ").append(r.value()).append('\n'));
        keys.stream().map(TrustedKey::fingerprint).sorted().forEach(f -> s.append("key ").append(f).append('\n'));
        identities.forEach(i -> s.append("identity ").append(i).append('\n'));
        s.append("enforce ").append(enforcement).append('\n');
        requiredAttestations.forEach(a -> s.append("require ").append(a).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
