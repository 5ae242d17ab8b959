package dev.akua.registry.signing;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps that keep verification bounded in memory and time, whatever a pusher put in a repository.
 *
 * @param maxSignatureLayers a sidecar with more layers is reported as not verified without reading any payload
 * @param maxPayloadBytes    largest simple-signing payload read (cosign's are a few hundred bytes)
 * @param maxEnvelopeBytes   largest DSSE envelope ({@code .att} layer) read
 * @param maxBundleBytes     largest Sigstore bundle blob read
 * @param maxReferrers       most bundle referrers evaluated for one subject
 * @param maxManifestBytes   largest sidecar or referrer manifest parsed
 * @param cacheEntries       most cached verification results
 * @param cacheTtl           how long a cached result is kept (results are keyed by content, so this
 *                           only bounds memory and the age of a "valid now" certificate check)
 */
public record VerificationLimits(int maxSignatureLayers, int maxPayloadBytes, int maxEnvelopeBytes,
                                 int maxBundleBytes, int maxReferrers, int maxManifestBytes,
                                 long cacheEntries, Duration cacheTtl) {
    public VerificationLimits {
        positive(maxSignatureLayers, "maxSignatureLayers");
        positive(maxPayloadBytes, "maxPayloadBytes");
        positive(maxEnvelopeBytes, "maxEnvelopeBytes");
        positive(maxBundleBytes, "maxBundleBytes");
        positive(maxReferrers, "maxReferrers");
        positive(maxManifestBytes, "maxManifestBytes");
        if (cacheEntries < 0) {
            throw new IllegalArgumentException("cacheEntries must not be negative");
        }
        Objects.requireNonNull(cacheTtl, "cacheTtl");
    }

    /** 100 signature layers (the bound), 64 KiB payloads, 4 MiB envelopes, 1 MiB bundles, 100 referrers, 4 MiB manifests. */
    public static VerificationLimits defaults() {
        return new VerificationLimits(100, 64 * 1024, 4 * 1024 * 1024, 1024 * 1024, 100, 4 * 1024 * 1024,
                10_000, Duration.ofMinutes(10));
    }

    public VerificationLimits withMaxSignatureLayers(int n) {
        return new VerificationLimits(n, maxPayloadBytes, maxEnvelopeBytes, maxBundleBytes, maxReferrers, maxManifestBytes, cacheEntries, cacheTtl);
    }

    public VerificationLimits withMaxPayloadBytes(int n) {
        return new VerificationLimits(maxSignatureLayers, n, maxEnvelopeBytes, maxBundleBytes, maxReferrers, maxManifestBytes, cacheEntries, cacheTtl);
    }

    private static void positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
