package dev.akua.registry.storage.retention;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.storage.MutableClock;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.StorageOptions;
import dev.akua.registry.storage.driver.InMemoryDriver;
import dev.akua.registry.storage.lease.LeaseOptions;
import dev.akua.registry.storage.upload.UploadState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tag retention over an in-memory store whose modification times follow a hand-moved clock. */
class RetentionTest {
    static final RepositoryName APP = RepositoryName.parse("team/app");
    static final RepositoryName OTHER = RepositoryName.parse("other/app");
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RegistryStorage storage;
    Digest manifest;

    @BeforeEach
    void setUp() {
        storage = new RegistryStorage(new InMemoryDriver(clock), new StorageOptions(4 << 20, Duration.ZERO, 1 << 20),
                new ManifestParser(), JsonMapper.builder().build(), clock);
    }

    /** Pushes one manifest and tags it {@code tags}, one per day, in order. */
    private void pushTags(RepositoryName repo, String... tags) {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        UploadState up = storage.uploads().start(repo, DigestAlgorithm.SHA256);
        Digest c = storage.uploads().complete(repo, up.id(), Digest.sha256(config), new ByteArrayInputStream(config), null, 2);
        byte[] m = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\"" + c + "\"},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        manifest = Digest.sha256(m);
        for (String tag : tags) {
            clock.advance(Duration.ofDays(1));
            storage.manifests().put(repo, Tag.parse(tag), m, MediaTypes.OCI_MANIFEST, List.of());
        }
    }

    private Retention retention(TagProtection protection, RetentionRule... rules) {
        return new Retention(storage, List.of(rules), protection,
                new LeaseOptions("test", Duration.ofMinutes(1), Duration.ZERO), clock);
    }

    private static RetentionRule keepLast(String glob, int n) {
        return new RetentionRule(RepositoryGlob.parse(glob), OptionalInt.of(n), Optional.empty(), Optional.empty());
    }

    private List<String> tags(RepositoryName repo) {
        return storage.tags().list(repo).stream().map(Tag::value).toList();
    }

    @Test
    void keepLast_removesOlderTagsOnly() throws Exception {
        pushTags(APP, "0.1.0", "0.2.0", "0.3.0", "0.4.0");
        RetentionReport report = retention(TagProtection.NONE, keepLast("team/**", 2)).run(false);
        assertEquals(List.of("0.3.0", "0.4.0"), tags(APP));
        assertEquals(List.of("0.2.0", "0.1.0"), report.removed().stream().map(t -> t.tag().value()).toList(), report::summary);
        assertTrue(storage.manifests().resolve(APP, manifest).isPresent(), "the manifest stays for the collector to judge");
    }

    @Test
    void keepNewerThanAndMatching_keepTheirTags() throws Exception {
        pushTags(APP, "latest", "old-1", "old-2", "new-1");
        clock.advance(Duration.ofHours(12));
        RetentionRule rule = new RetentionRule(RepositoryGlob.parse("team/app"), OptionalInt.empty(),
                Optional.of(Duration.ofDays(1)), Optional.of(Pattern.compile("latest|stable")));
        retention(TagProtection.NONE, rule).run(false);
        assertEquals(List.of("latest", "new-1"), tags(APP));
    }

    @Test
    void protectedTags_neverRemoved() throws Exception {
        pushTags(APP, "1.0.0", "1.1.0", "nightly-1", "nightly-2", "nightly-3");
        TagProtection semverImmutable = (repo, tag) -> tag.value().matches("\\d+\\.\\d+\\.\\d+");
        RetentionReport report = retention(semverImmutable, keepLast("**", 1)).run(false);
        assertEquals(List.of("1.0.0", "1.1.0", "nightly-3"), tags(APP));
        assertEquals(List.of("1.1.0", "1.0.0"), report.protectedKept().stream().map(t -> t.tag().value()).toList());
    }

    @Test
    void sidecarTags_followTheirSubjectNotTheRule() throws Exception {
        pushTags(APP, "a", "b");
        pushTags(APP, manifest.tagForm() + ".sig");
        retention(TagProtection.NONE, keepLast("**", 1)).run(false);
        assertEquals(List.of("b", manifest.tagForm() + ".sig"), tags(APP));
    }

    @Test
    void mostSpecificRule_decides_andUncoveredRepositoriesUntouched() throws Exception {
        pushTags(APP, "1", "2", "3");
        pushTags(OTHER, "1", "2", "3");
        pushTags(RepositoryName.parse("loose"), "1", "2", "3");
        retention(TagProtection.NONE, keepLast("**/app", 1), keepLast("team/app", 2)).run(false);
        assertEquals(List.of("2", "3"), tags(APP));
        assertEquals(List.of("3"), tags(OTHER));
        assertEquals(List.of("1", "2", "3"), tags(RepositoryName.parse("loose")));
    }

    @Test
    void dryRun_reportsAndKeepsEverything() throws Exception {
        pushTags(APP, "x", "y", "z");
        RetentionReport report = retention(TagProtection.NONE, keepLast("**", 1)).run(true);
        assertEquals(2, report.removed().size());
        assertEquals(List.of("x", "y", "z"), tags(APP));
    }

    @Test
    void tagPushedAgainAfterJudgement_isNotRemoved() throws Exception {
        pushTags(APP, "moving", "fixed");
        Retention retention = retention(TagProtection.NONE, keepLast("**", 1));
        RetentionReport dry = retention.run(true);
        assertEquals("moving", dry.removed().getFirst().tag().value());
        clock.advance(Duration.ofDays(1));
        storage.tags().put(APP, Tag.parse("moving"), manifest); // now the newest
        retention.run(false);
        assertEquals(List.of("moving"), tags(APP));
    }

    @Test
    void rule_withoutCriteria_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionRule(RepositoryGlob.parse("**"),
                OptionalInt.empty(), Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> RepositoryGlob.parse("Bad Pattern"));
    }
}
