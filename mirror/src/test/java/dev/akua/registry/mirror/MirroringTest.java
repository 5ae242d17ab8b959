package dev.akua.registry.mirror;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.remote.oci.DistributionRegistry;
import dev.akua.registry.remote.oci.RegistryLogin;
import dev.akua.registry.signing.Enforcement;
import dev.akua.registry.signing.RepositoryPattern;
import dev.akua.registry.signing.TrustPolicies;
import dev.akua.registry.signing.TrustPolicy;
import dev.akua.registry.signing.TrustedKey;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MirroringTest {
    private static final RepositoryName LOCAL = RepositoryName.parse("mirror/up/acme/app");

    private static MirrorRule rule(String repositories, TagFilter tags, boolean onlySigned) {
        return new MirrorRule("r", "up", List.of(RepositoryPattern.parse(repositories)), tags, onlySigned, null, true, true, Duration.ZERO);
    }

    private static LocalRegistry local(Path dir, URI upstream, TrustPolicies policies) {
        return new LocalRegistry(dir, new MirrorSettings(List.of(new Upstream("up", upstream, RegistryLogin.anonymous(),
                RepositoryName.parse("mirror/up"), false, Duration.ZERO)), List.of()), policies, MirrorLimits.defaults());
    }

    private static byte[] stored(LocalRegistry local, String reference) {
        return local.storage.manifests().get(LOCAL, reference.startsWith("sha256:") ? Digest.parse(reference) : new Tag(reference))
                .orElseThrow(() -> new AssertionError(reference + " not stored")).bytes();
    }

    @Test
    void run_copiesImagesIndexesSignaturesAttestationsAndReferrersWithIdenticalDigests(@TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        try (DistributionRegistry upstream = new DistributionRegistry(Files.createDirectories(dir.resolve("up")), null, null);
             LocalRegistry local = local(dir.resolve("local"), upstream.base(), TrustPolicies.none())) {
            Content.Image v1 = Content.image(upstream, "acme/app", "v1", "one", 200_000);
            String sig = Content.sign(upstream, "acme/app", v1.digest(), key);
            String att = Content.attest(upstream, "acme/app", v1.digest());
            String sbom = Content.referrer(upstream, "acme/app", v1, "application/spdx+json");
            Content.Image amd = Content.image(upstream, "acme/app", null, "amd", 1000);
            Content.Image arm = Content.image(upstream, "acme/app", null, "arm", 1000);
            String multi = Content.index(upstream, "acme/app", "multi", amd, arm);
            String childSig = Content.sign(upstream, "acme/app", arm.digest(), key);

            MirrorReport report = local.mirror.run(List.of(rule("acme/app", TagFilter.all(), false)), Progress.NONE);

            assertTrue(report.ok(), report.failures().toString());
            assertEquals(2, report.copied(), report.lines().toString());
            assertArrayEquals(v1.manifest(), stored(local, "v1"));
            assertEquals(sig, Digest.sha256(stored(local, Digest.parse(v1.digest()).tagForm() + ".sig")).toString());
            assertEquals(att, Digest.sha256(stored(local, Digest.parse(v1.digest()).tagForm() + ".att")).toString());
            assertEquals(multi, Digest.sha256(stored(local, "multi")).toString());
            assertArrayEquals(arm.manifest(), stored(local, arm.digest()));
            assertEquals(childSig, Digest.sha256(stored(local, Digest.parse(arm.digest()).tagForm() + ".sig")).toString());
            List<ReferrerDescriptor> referrers = local.storage.referrers().list(LOCAL, Digest.parse(v1.digest()));
            assertEquals(List.of(Digest.parse(sbom)), referrers.stream().map(ReferrerDescriptor::digest).toList());
            assertEquals("application/spdx+json", referrers.getFirst().artifactType());
            assertTrue(local.storage.tags().resolve(LOCAL, new Tag(Digest.parse(v1.digest()).tagForm())).isPresent(),
                    "the referrers tag-schema index comes along");
            for (String blob : List.of(v1.layer(), v1.config(), amd.layer(), arm.layer())) {
                assertTrue(local.storage.links().isLinked(LOCAL, Digest.parse(blob)), blob);
            }

            // incremental: nothing changed upstream, nothing is fetched again
            int blobGets = upstream.requests("GET", "/v2/acme/app/blobs/sha256:[0-9a-f]+");
            MirrorReport again = local.mirror.run(List.of(rule("acme/app", TagFilter.all(), false)), Progress.NONE);
            assertEquals(0, again.copied(), again.lines().toString());
            assertEquals(2, again.unchanged());
            assertEquals(blobGets, upstream.requests("GET", "/v2/acme/app/blobs/sha256:[0-9a-f]+"));

            // a new signature upstream is picked up by the next run
            Content.sign(upstream, "acme/app", amd.digest(), key);
            MirrorReport third = local.mirror.run(List.of(rule("acme/app", TagFilter.all(), false)), Progress.NONE);
            assertEquals(1, third.copied(), third.lines().toString());
            assertTrue(local.storage.tags().resolve(LOCAL, new Tag(Digest.parse(amd.digest()).tagForm() + ".sig")).isPresent());
        }
    }

    @Test
    void run_onlySigned_keepsOnlyArtifactsWhoseSignatureVerifiesWithATrustedKey(@TempDir Path dir) throws Exception {
        SigningKey trusted = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        SigningKey untrusted = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        TrustPolicies policies = new TrustPolicies(List.of(new TrustPolicy("release", List.of(RepositoryPattern.parse("mirror/**")),
                List.of(new TrustedKey("release", trusted.publicKey())), List.of(), Enforcement.NONE, List.of())), null);
        try (DistributionRegistry upstream = new DistributionRegistry(Files.createDirectories(dir.resolve("up")), null, null);
             LocalRegistry local = local(dir.resolve("local"), upstream.base(), policies)) {
            Content.Image good = Content.image(upstream, "acme/app", "v1", "good", 1000);
            Content.sign(upstream, "acme/app", good.digest(), trusted);
            Content.Image bad = Content.image(upstream, "acme/app", "v2", "bad", 1000);
            Content.sign(upstream, "acme/app", bad.digest(), untrusted);
            Content.Image none = Content.image(upstream, "acme/app", "v3", "none", 1000);

            MirrorReport report = local.mirror.run(List.of(rule("acme/app", TagFilter.all(), true)), Progress.NONE);

            assertTrue(report.ok(), report.failures().toString());
            assertEquals(1, report.copied(), report.lines().toString());
            assertEquals(2, report.skipped(), report.lines().toString());
            assertTrue(local.storage.tags().resolve(LOCAL, new Tag("v1")).isPresent());
            assertFalse(local.storage.tags().resolve(LOCAL, new Tag("v2")).isPresent());
            assertFalse(local.storage.tags().resolve(LOCAL, new Tag("v3")).isPresent());
            assertTrue(local.storage.manifests().revision(LOCAL, Digest.parse(bad.digest())).isEmpty());
            assertFalse(local.storage.links().isLinked(LOCAL, Digest.parse(bad.layer())), "nothing of a refused artifact is copied");
            assertTrue(report.lines().stream().anyMatch(l -> l.contains("v2") && l.contains("skipped")), report.lines().toString());
        }
    }

    @Test
    void run_upstreamBreaksOffMidRun_noPartialArtifactVisibleAndNextRunCompletes(@TempDir Path dir) throws Exception {
        try (DistributionRegistry upstream = new DistributionRegistry(Files.createDirectories(dir.resolve("up")), null, null);
             CuttingProxy proxy = new CuttingProxy(upstream.base().getPort());
             LocalRegistry local = local(dir.resolve("local"), proxy.base(), TrustPolicies.none())) {
            Content.Image small = Content.image(upstream, "acme/app", "a-small", "small", 10_000);
            Content.Image big = Content.image(upstream, "acme/app", "b-big", "big", 4 << 20);
            proxy.cutResponsesAfter(1 << 20);   // every connection breaks after 1 MiB of answers: the big layer never arrives whole

            MirrorReport broken = local.mirror.run(List.of(rule("acme/app", TagFilter.all(), false)), Progress.NONE);

            assertEquals(1, broken.copied(), broken.lines().toString());
            assertEquals(1, broken.failures().size(), broken.lines().toString());
            assertTrue(proxy.cuts() > 0);
            assertTrue(local.storage.tags().resolve(LOCAL, new Tag("a-small")).isPresent());
            assertFalse(local.storage.tags().resolve(LOCAL, new Tag("b-big")).isPresent(), "no tag on a partial artifact");
            assertTrue(local.storage.manifests().revision(LOCAL, Digest.parse(big.digest())).isEmpty(), "no manifest of a partial artifact");
            assertFalse(local.storage.links().isReadable(LOCAL, Digest.parse(big.layer())), "no half-written blob");
            assertTrue(local.storage.tags().list(LOCAL).stream().noneMatch(t -> t.value().startsWith("b")));

            proxy.heal();
            MirrorReport healed = local.mirror.run(List.of(rule("acme/app", TagFilter.all(), false)), Progress.NONE);
            assertTrue(healed.ok(), healed.failures().toString());
            assertEquals(1, healed.copied());
            assertEquals(1, healed.unchanged());
            assertArrayEquals(big.manifest(), stored(local, "b-big"));
            assertTrue(local.storage.links().isReadable(LOCAL, Digest.parse(big.layer())));
            assertEquals(Digest.parse(small.digest()), local.storage.tags().resolve(LOCAL, new Tag("a-small")).orElseThrow());
        }
    }

    @Test
    void run_repositoryPatternAndTagFilters_selectFromCatalog(@TempDir Path dir) throws Exception {
        try (DistributionRegistry upstream = new DistributionRegistry(Files.createDirectories(dir.resolve("up")), null, null);
             LocalRegistry local = local(dir.resolve("local"), upstream.base(), TrustPolicies.none())) {
            for (String repo : List.of("acme/one", "acme/two", "other/three")) {
                for (String tag : List.of("v1.0.0", "v1.5.0", "v2.0.0", "latest")) {
                    Content.image(upstream, repo, tag, repo + tag, 100);
                }
            }
            MirrorReport report = local.mirror.run(List.of(rule("acme/*", TagFilter.of(List.of("v*"), ">=1.0.0 <2.0.0"), false)), Progress.NONE);

            assertTrue(report.ok(), report.failures().toString());
            assertEquals(4, report.copied(), report.lines().toString());
            for (String repo : List.of("mirror/up/acme/one", "mirror/up/acme/two")) {
                assertEquals(List.of(new Tag("v1.0.0"), new Tag("v1.5.0")), local.storage.tags().list(RepositoryName.parse(repo)));
            }
            assertFalse(local.storage.catalog().exists(RepositoryName.parse("mirror/up/other/three")));
        }
    }
}
