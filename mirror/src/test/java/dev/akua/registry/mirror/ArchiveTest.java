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
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveTest {
    private static final RepositoryName APP = RepositoryName.parse("mirror/up/acme/app");
    private static final RepositoryName TOOL = RepositoryName.parse("mirror/up/acme/tool");

    @TempDir
    Path dir;
    private SigningKey key;
    private Content.Image v1;
    private String sbom;

    /** A source registry filled by mirroring from Distribution: two repositories, an index, signatures, an attestation, a referrer. */
    private LocalRegistry source(TrustPolicies policies) throws Exception {
        key = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        try (DistributionRegistry upstream = new DistributionRegistry(Files.createDirectories(dir.resolve("up")), null, null)) {
            v1 = Content.image(upstream, "acme/app", "v1", "one", 300_000);
            Content.sign(upstream, "acme/app", v1.digest(), key);
            Content.attest(upstream, "acme/app", v1.digest());
            sbom = Content.referrer(upstream, "acme/app", v1, "application/spdx+json");
            Content.Image amd = Content.image(upstream, "acme/app", null, "amd", 5000);
            Content.Image arm = Content.image(upstream, "acme/app", null, "arm", 5000);
            Content.index(upstream, "acme/app", "multi", amd, arm);
            Content.image(upstream, "acme/tool", "1.0", "tool", 2000);
            LocalRegistry source = new LocalRegistry(dir.resolve("source"), new MirrorSettings(List.of(new Upstream("up", upstream.base(),
                    RegistryLogin.anonymous(), RepositoryName.parse("mirror/up"), false, Duration.ZERO)), List.of()), policies,
                    MirrorLimits.defaults());
            MirrorReport report = source.mirror.run(List.of(new MirrorRule("all", "up", List.of(RepositoryPattern.parse("acme/app"),
                    RepositoryPattern.parse("acme/tool")), TagFilter.all(), false, null, true, true, Duration.ZERO)), Progress.NONE);
            assertTrue(report.ok(), report.failures().toString());
            return source;
        }
    }

    private LocalRegistry target(String name, TrustPolicies policies) {
        return new LocalRegistry(dir.resolve(name), MirrorSettings.none(), policies, MirrorLimits.defaults());
    }

    private static ExportSelection everything() {
        return new ExportSelection(List.of(new ExportSelection.Item(RepositoryPattern.parse("mirror/**"), TagFilter.all())));
    }

    /** Everything visible in a repository: tag → digest, and every manifest's bytes reachable from tags and referrers. */
    private static Map<String, String> visible(RegistryStorage storage, RepositoryName repo) {
        Map<String, String> out = new TreeMap<>();
        for (Tag tag : storage.tags().list(repo)) {
            Digest d = storage.tags().resolve(repo, tag).orElseThrow();
            out.put("tag " + tag, d.toString());
            out.put("manifest " + d, Digest.sha256(storage.manifests().get(repo, d).orElseThrow().bytes()).toString());
            for (ReferrerDescriptor r : storage.referrers().list(repo, d)) {
                out.put("referrer " + d + " " + r.digest(), r.artifactType());
            }
        }
        return out;
    }

    @Test
    void exportThenImport_identicalDigestsForEverything_andImportIsIdempotent() throws Exception {
        try (LocalRegistry source = source(TrustPolicies.none()); LocalRegistry target = target("target", TrustPolicies.none())) {
            Path archive = dir.resolve("transfer.tar");
            ExportReport exported = source.mirror.export(everything(), archive, Progress.NONE);
            assertEquals(3, exported.artifacts(), exported.lines().toString());

            ImportReport imported = target.mirror.importArchive(archive, ImportOptions.defaults(), Progress.NONE);

            assertEquals(3, imported.artifacts());
            for (RepositoryName repo : List.of(APP, TOOL)) {
                assertEquals(visible(source.storage, repo), visible(target.storage, repo), repo.toString());
            }
            assertTrue(visible(target.storage, APP).containsKey("referrer " + v1.digest() + " " + sbom));
            assertTrue(visible(target.storage, APP).containsKey("tag " + Digest.parse(v1.digest()).tagForm() + ".sig"));
            assertTrue(visible(target.storage, APP).containsKey("tag " + Digest.parse(v1.digest()).tagForm() + ".att"));
            try (InputStream in = target.storage.blobs().open(Digest.parse(v1.layer()), 0)) {
                assertArrayEquals(Content.random(300_000, "one".hashCode()), in.readAllBytes());
            }
            assertTrue(target.storage.links().isLinked(APP, Digest.parse(v1.layer())));

            ImportReport again = target.mirror.importArchive(archive, ImportOptions.defaults(), Progress.NONE);
            assertEquals(0, again.manifests(), "a second import stores nothing new");
            assertEquals(0, again.blobsStored());
            assertEquals(visible(source.storage, APP), visible(target.storage, APP));
        }
    }

    @Test
    void import_tamperedBlob_refusedAndNothingVisible() throws Exception {
        try (LocalRegistry source = source(TrustPolicies.none()); LocalRegistry target = target("target", TrustPolicies.none())) {
            Path archive = dir.resolve("transfer.tar");
            source.mirror.export(everything(), archive, Progress.NONE);
            Path tampered = dir.resolve("tampered.tar");
            String layerEntry = "blobs/sha256/" + Digest.parse(v1.layer()).hex();
            rewrite(archive, tampered, name -> name.equals(layerEntry), bytes -> {
                bytes[bytes.length / 2] ^= 0x01;
                return bytes;
            });

            ImportRefusedException e = assertThrows(ImportRefusedException.class,
                    () -> target.mirror.importArchive(tampered, ImportOptions.defaults(), Progress.NONE));

            assertTrue(e.getMessage().contains(v1.layer()), e.getMessage());
            assertEquals(List.of(), target.storage.catalog().all(), "no repository, tag or manifest became visible");
            assertTrue(target.storage.manifests().revision(APP, Digest.parse(v1.digest())).isEmpty());
        }
    }

    @Test
    void import_indexNamesManifestTheArchiveLacks_refusedAndNothingVisible() throws Exception {
        try (LocalRegistry source = source(TrustPolicies.none()); LocalRegistry target = target("target", TrustPolicies.none())) {
            Path archive = dir.resolve("transfer.tar");
            source.mirror.export(everything(), archive, Progress.NONE);
            Path stripped = dir.resolve("stripped.tar");
            String configEntry = "blobs/sha256/" + Digest.parse(v1.config()).hex();
            rewrite(archive, stripped, name -> name.equals(configEntry), bytes -> null);

            ImportRefusedException e = assertThrows(ImportRefusedException.class,
                    () -> target.mirror.importArchive(stripped, ImportOptions.defaults(), Progress.NONE));
            assertTrue(e.getMessage().contains("lacks"), e.getMessage());
            assertEquals(List.of(), target.storage.catalog().all());
        }
    }

    @Test
    void import_interruptedHalfWay_completesWhenRunAgainWithoutReadingStoredBlobsTwice() throws Exception {
        try (LocalRegistry source = source(TrustPolicies.none()); LocalRegistry target = target("target", TrustPolicies.none())) {
            Path archive = dir.resolve("transfer.tar");
            source.mirror.export(everything(), archive, Progress.NONE);
            // the first attempt reads only the first half of the archive (a transfer or process cut off)
            Path half = dir.resolve("half.tar");
            byte[] all = Files.readAllBytes(archive);
            Files.write(half, java.util.Arrays.copyOf(all, all.length / 2));
            assertThrows(ImportRefusedException.class, () -> target.mirror.importArchive(half, ImportOptions.defaults(), Progress.NONE));
            assertEquals(List.of(), target.storage.catalog().all());

            ImportReport resumed = target.mirror.importArchive(archive, ImportOptions.defaults(), Progress.NONE);

            assertTrue(resumed.blobsPresent() > 0, "blobs verified by the first attempt are not read again");
            assertEquals(visible(source.storage, APP), visible(target.storage, APP));
            assertEquals(visible(source.storage, TOOL), visible(target.storage, TOOL));
        }
    }

    @Test
    void import_policyCoversRepositoryAndAnArtifactIsUnsigned_refusedOrSkipped() throws Exception {
        try (LocalRegistry source = source(TrustPolicies.none())) {
            TrustPolicies policies = new TrustPolicies(List.of(new TrustPolicy("release", List.of(RepositoryPattern.parse("mirror/**")),
                    List.of(new TrustedKey("release", key.publicKey())), List.of(), Enforcement.NONE, List.of())), null);
            Path archive = dir.resolve("transfer.tar");
            source.mirror.export(new ExportSelection(List.of(new ExportSelection.Item(RepositoryPattern.parse("mirror/up/acme/app"),
                    TagFilter.all()))), archive, Progress.NONE);

            try (LocalRegistry strict = target("strict", policies)) {
                ImportRefusedException e = assertThrows(ImportRefusedException.class,
                        () -> strict.mirror.importArchive(archive, ImportOptions.defaults(), Progress.NONE));
                assertTrue(e.getMessage().contains("multi"), e.getMessage());   // the index is not signed
                assertEquals(List.of(), strict.storage.catalog().all());
            }
            try (LocalRegistry lenient = target("lenient", policies)) {
                ImportReport report = lenient.mirror.importArchive(archive,
                        new ImportOptions(ImportOptions.SignatureMode.SKIP_UNSIGNED, null), Progress.NONE);
                assertEquals(1, report.artifacts(), report.lines().toString());
                assertEquals(1, report.skipped().size());
                assertTrue(lenient.storage.tags().resolve(APP, new Tag("v1")).isPresent());
                assertFalse(lenient.storage.tags().resolve(APP, new Tag("multi")).isPresent());
            }
        }
    }

    /** Copies a tar, transforming (or with null, dropping) the entries whose names match. */
    static void rewrite(Path from, Path to, java.util.function.Predicate<String> which, UnaryOperator<byte[]> transform) throws IOException {
        try (InputStream in = Files.newInputStream(from); TarArchiveInputStream tar = new TarArchiveInputStream(in);
             OutputStream out = Files.newOutputStream(to); TarArchiveOutputStream copy = new TarArchiveOutputStream(out)) {
            copy.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e;
            List<String> matched = new ArrayList<>();
            while ((e = tar.getNextEntry()) != null) {
                byte[] bytes = tar.readAllBytes();
                if (which.test(e.getName())) {
                    matched.add(e.getName());
                    bytes = transform.apply(bytes);
                    if (bytes == null) {
                        continue;
                    }
                }
                TarArchiveEntry c = new TarArchiveEntry(e.getName());
                if (e.isDirectory()) {
                    copy.putArchiveEntry(new TarArchiveEntry(e.getName()));
                } else {
                    c.setSize(bytes.length);
                    copy.putArchiveEntry(c);
                    copy.write(bytes);
                }
                copy.closeArchiveEntry();
            }
            assertFalse(matched.isEmpty(), "no entry matched");
        }
    }
}
