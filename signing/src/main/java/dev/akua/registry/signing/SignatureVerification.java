package dev.akua.registry.signing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.signing.bundle.BundleVerifier;
import dev.akua.registry.signing.bundle.IdentityRule;
import dev.akua.registry.signing.cosign.SidecarManifests;
import dev.akua.registry.signing.wire.WireJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds and verifies the signatures and attestations of a manifest, and decides pulls under
 * {@code enforce: pull}. One instance per configuration, built by the composition root:
 * <pre>new SignatureVerification(content, policies, VerificationLimits.defaults())</pre>
 *
 * <p>Where it looks, for subject {@code sha256:<hex>} in repository {@code R}: the tag
 * {@code sha256-<hex>.sig} (cosign/akua signatures), the tag {@code sha256-<hex>.att} (cosign/akua
 * attestations), and the referrers of the digest whose artifactType is a Sigstore bundle (cosign v3).
 *
 * <p>Results are cached per (repository, subject digest, sidecar or referrer manifest digest,
 * policy version). A re-pushed sidecar has a new digest and a changed policy a new version, so
 * neither can be answered from an old entry; the only lookups done on a cache hit are the two tag
 * reads and the referrers listing. Storage failures are not cached.
 */
public final class SignatureVerification {
    private static final Pattern REFERRERS_TAG = Pattern.compile("(sha256|sha512)-[0-9a-f]{64,128}");
    private static final Set<String> SIGNATURE_LAYER_TYPES = Set.of(MediaTypes.COSIGN_SIMPLE_SIGNING, MediaTypes.DSSE_ENVELOPE,
            BundleVerifier.BUNDLE_MEDIA_TYPE_V03);

    private final SignatureContent content;
    private final TrustPolicies policies;
    private final VerificationLimits limits;
    private final Evaluator evaluator;
    private final ManifestParser parser = new ManifestParser();
    private final Cache<CacheKey, List<Finding>> cache;

    public SignatureVerification(SignatureContent content, TrustPolicies policies, VerificationLimits limits) {
        this(content, policies, limits, Caffeine.newBuilder()
                .maximumSize(limits.cacheEntries())
                .expireAfterWrite(limits.cacheTtl())
                .build());
    }

    private SignatureVerification(SignatureContent content, TrustPolicies policies, VerificationLimits limits,
                                  Cache<CacheKey, List<Finding>> cache) {
        this.content = Objects.requireNonNull(content, "content");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.limits = Objects.requireNonNull(limits, "limits");
        WireJson json = new WireJson();
        this.evaluator = new Evaluator(new ContentReader(content), limits, json, new BundleVerifier(json, policies.trustedRoot()));
        this.cache = cache;
    }

    /**
     * The same verifier under reloaded policies, sharing the result cache: entries are keyed by
     * policy version, so results made under the old policies are never served under the new ones.
     */
    public SignatureVerification withPolicies(TrustPolicies newPolicies) {
        return new SignatureVerification(content, newPolicies, limits, cache);
    }

    /** Everything found for {@code subject} in {@code repository}, verified under the policy covering it. */
    public VerificationReport verify(RepositoryName repository, Digest subject) throws IOException {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(subject, "subject");
        TrustPolicy policy = policies.forRepository(repository).orElse(null);
        String version = policy == null ? "none" : policies.versionOf(policy);
        List<IdentityRule> identities = policy == null ? List.of() : policy.identities().stream().map(KeylessIdentity::rule).toList();

        List<Finding> found = new ArrayList<>();
        for (boolean attestations : new boolean[]{false, true}) {
            Tag tag = attestations ? SidecarManifests.attestationTag(subject) : SidecarManifests.signatureTag(subject);
            Optional<byte[]> raw = content.manifest(repository, tag);
            if (raw.isEmpty()) {
                continue;
            }
            Digest rawDigest = Digest.sha256(raw.get());
            CacheKey key = new CacheKey(repository, subject, rawDigest, version);
            List<Finding> cached = cache.getIfPresent(key);
            if (cached == null) {
                cached = List.copyOf(evaluator.sidecar(repository, subject, tag, raw.get(), rawDigest, policy, attestations));
                cache.put(key, cached);
            }
            found.addAll(cached);
        }

        List<Descriptor> referrers = content.referrers(repository, subject).stream()
                .filter(d -> d.artifactType() != null && Evaluator.BUNDLE_ARTIFACT_TYPES.contains(d.artifactType()))
                .toList();
        int evaluated = 0;
        for (Descriptor d : referrers) {
            if (evaluated == limits.maxReferrers()) {
                found.add(new Finding(Finding.Kind.SIGNATURE, Finding.Format.SIGSTORE_BUNDLE, Finding.Source.REFERRER, null, null, -1,
                        false, null, null, (referrers.size() - evaluated) + " more bundle referrers were not evaluated (limit "
                        + limits.maxReferrers() + ")"));
                break;
            }
            evaluated++;
            CacheKey key = new CacheKey(repository, subject, d.digest(), version);
            List<Finding> cached = cache.getIfPresent(key);
            if (cached == null) {
                cached = List.of(evaluator.referrer(repository, subject, d, policy, identities));
                cache.put(key, cached);
            }
            found.addAll(cached);
        }
        return decide(repository, subject, policy, found);
    }

    /**
     * Whether a manifest may be served under the policy covering {@code repository}. Call it for
     * every manifest GET and HEAD, after the reference is resolved.
     *
     * @param requested what the client asked for (tag or digest)
     * @param digest    the resolved manifest digest
     * @param manifest  the manifest bytes about to be served
     */
    public PullDecision checkPull(RepositoryName repository, Reference requested, Digest digest, byte[] manifest) throws IOException {
        Optional<TrustPolicy> policy = policies.forRepository(repository);
        if (policy.isEmpty() || policy.get().enforcement() != Enforcement.PULL) {
            return PullDecision.allow("no policy enforces signatures on pull for " + repository);
        }
        if (isSignatureArtifact(requested, manifest)) {
            return PullDecision.allow("signatures, attestations and referrer artifacts stay fetchable");
        }
        VerificationReport report = verify(repository, digest);
        if (report.policyMet()) {
            return PullDecision.allow(report.summary());
        }
        return PullDecision.deny("signature policy '" + policy.get().name() + "' refuses " + repository + "@" + digest
                + ": " + report.summary());
    }

    /**
     * Signature-shaped manifests are exempt from {@code enforce: pull}: anything with a
     * {@code subject} (referrer artifacts), image manifests all of whose layers are simple-signing
     * payloads, DSSE envelopes or bundles, and indexes asked for under the referrers tag schema
     * ({@code sha256-<hex>}). Exemption goes by content, so tagging an unsigned image like a
     * sidecar does not make it fetchable by digest.
     */
    private boolean isSignatureArtifact(Reference requested, byte[] manifest) {
        ManifestContent parsed;
        try {
            parsed = parser.parse(manifest, null);
        } catch (OciException e) {
            return false;
        }
        if (parsed.subject() != null) {
            return true;
        }
        if (parsed.kind() == ManifestKind.IMAGE) {
            return !parsed.layers().isEmpty()
                    && parsed.layers().stream().allMatch(l -> SIGNATURE_LAYER_TYPES.contains(l.mediaType()));
        }
        return requested instanceof Tag tag && REFERRERS_TAG.matcher(tag.value()).matches();
    }

    private static VerificationReport decide(RepositoryName repo, Digest subject, TrustPolicy policy, List<Finding> found) {
        List<Finding> signatures = found.stream().filter(f -> f.kind() == Finding.Kind.SIGNATURE).toList();
        List<Finding> attestations = found.stream().filter(f -> f.kind() == Finding.Kind.ATTESTATION).toList();
        if (policy == null) {
            return new VerificationReport(repo, subject, null, Enforcement.NONE, false,
                    "no trust policy covers repository " + repo, signatures, attestations);
        }
        long verified = signatures.stream().filter(Finding::verified).count();
        String summary;
        boolean met;
        if (verified == 0) {
            met = false;
            if (signatures.isEmpty()) {
                summary = "no signature found for " + subject + " (looked for tag " + SidecarManifests.signatureTag(subject)
                        + " and Sigstore bundle referrers)";
            } else {
                summary = "none of the " + signatures.size() + " signatures found for " + subject + " verified (first reason: "
                        + signatures.get(0).reason() + ")";
            }
        } else {
            met = true;
            Finding first = signatures.stream().filter(Finding::verified).findFirst().orElseThrow();
            summary = verified + " of " + signatures.size() + " signatures verified, signed by " + first.signer();
        }
        if (met) {
            for (String required : policy.requiredAttestations()) {
                boolean present = attestations.stream().anyMatch(a -> a.verified() && required.equals(a.predicateType()));
                if (!present) {
                    met = false;
                    summary = "signature verified, but no verified attestation of type " + required + " was found for " + subject;
                    break;
                }
            }
        }
        return new VerificationReport(repo, subject, policy.name(), policy.enforcement(), met, summary, signatures, attestations);
    }

    private record CacheKey(RepositoryName repository, Digest subject, Digest manifest, String policyVersion) {
    }
}
