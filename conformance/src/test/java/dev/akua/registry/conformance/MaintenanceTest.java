package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.feature.maintenance.Maintenance;
import dev.akua.registry.feature.maintenance.MaintenanceCommand;
import dev.akua.registry.feature.maintenance.MaintenanceFeature;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.server.RegistryServer;
import dev.akua.registry.storage.retention.RetentionReport;
import dev.akua.registry.storage.retention.TagProtection;
import dev.akua.registry.storage.s3.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.akua.registry.conformance.Oci.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Garbage collection, retention, scrub and upload purge through the registry: the CLI commands an
 * operator runs next to a live registry, and the service the scheduler calls.
 */
class MaintenanceTest {
    @TempDir
    Path dir;

    /**
     * A configuration file for a filesystem registry under {@code dir/data}, plus extra YAML. The CLI
     * works on storage from another process, so the server may serve what it removed for
     * {@code storage.pointerTtlSeconds} (1 s here), the documented bound.
     */
    private RegistryConfig config(String extraYaml) throws Exception {
        Path file = dir.resolve("akua-registry.yaml");
        Files.writeString(file, "http:\n  host: 127.0.0.1\n  port: 0\nstorage:\n  pointerTtlSeconds: 1\n  filesystem:\n    root: "
                + dir.resolve("data") + "\n" + extraYaml);
        return new ConfigLoader().load(file, Map.of());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(MaintenanceCommand.Task task, RegistryConfig config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new MaintenanceCommand(task).run(List.of(args), config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String subject(Digest digest, int size) {
        return ",\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":" + size + ",\"digest\":\"" + digest + "\"}";
    }

    @Test
    void gcCommand_keepsReferrersOfLiveSubjects_removesOrphans() throws Exception {
        RegistryConfig config = config("gc:\n  graceSeconds: 0\n");
        try (RegistryServer server = RegistryServer.start(config)) {
            Http http = new Http(server.baseUrl());
            Oci oci = new Oci(http);
            byte[] subjectBytes = oci.image("gc/app", "subject", "");
            assertEquals(201, oci.putManifest("gc/app", "1.0.0", subjectBytes, MediaTypes.OCI_MANIFEST).status());
            Digest subject = Digest.sha256(subjectBytes);
            byte[] sbom = oci.image("gc/app", "sbom", ",\"artifactType\":\"application/spdx+json\"" + subject(subject, subjectBytes.length));
            assertEquals(201, oci.putManifest("gc/app", Digest.sha256(sbom).toString(), sbom, MediaTypes.OCI_MANIFEST).status());
            byte[] goneBytes = oci.image("gc/app", "deleted subject", "");
            assertEquals(201, oci.putManifest("gc/app", "0.9.0", goneBytes, MediaTypes.OCI_MANIFEST).status());
            Digest gone = Digest.sha256(goneBytes);
            byte[] orphan = oci.image("gc/app", "orphan", subject(gone, goneBytes.length));
            assertEquals(201, oci.putManifest("gc/app", Digest.sha256(orphan).toString(), orphan, MediaTypes.OCI_MANIFEST).status());
            byte[] orphanSig = oci.image("gc/app", "orphan sig", "");
            assertEquals(201, oci.putManifest("gc/app", gone.tagForm() + ".sig", orphanSig, MediaTypes.OCI_MANIFEST).status());
            assertEquals(202, http.delete("/v2/gc/app/manifests/" + gone).status());

            Run dry = cli(MaintenanceCommand.Task.GC, config, "--dry-run");
            assertEquals(0, dry.exit(), dry.err());
            assertTrue(dry.out().contains("gc dry run: would remove"), dry.out());
            assertEquals(200, http.head("/v2/gc/app/manifests/" + Digest.sha256(orphan)).status(), "a dry run changes nothing");

            Run run = cli(MaintenanceCommand.Task.GC, config);
            assertEquals(0, run.exit(), run.err() + run.out());
            assertTrue(run.out().contains("manifest gc/app@" + Digest.sha256(orphan)), run.out());
            Thread.sleep(1200);

            JsonNode referrers = http.get("/v2/gc/app/referrers/" + subject).json().get("manifests");
            assertEquals(1, referrers.size());
            assertEquals(Digest.sha256(sbom).toString(), referrers.get(0).get("digest").asText());
            assertEquals(200, http.get("/v2/gc/app/manifests/" + Digest.sha256(sbom)).status(), "referrer of a live subject kept");
            assertEquals(200, http.get("/v2/gc/app/manifests/1.0.0").status());

            assertEquals(404, http.head("/v2/gc/app/manifests/" + Digest.sha256(orphan)).status(), "orphaned referrer removed");
            assertEquals(404, http.head("/v2/gc/app/manifests/" + gone.tagForm() + ".sig").status(), "orphaned sidecar tag removed");
            assertEquals(0, http.get("/v2/gc/app/referrers/" + gone).json().get("manifests").size());
            assertFalse(http.get("/v2/gc/app/tags/list").text().contains(".sig"));
        }
    }

    @Test
    void retention_neverRemovesImmutableTags() throws Exception {
        RegistryConfig config = config("""
                retention:
                  rules:
                    - repositories: "ret/**"
                      keepLast: 1
                """);
        // the immutable-tag rule as the auth feature publishes it (semver tags are immutable)
        TagProtection semverImmutable = (repo, tag) -> tag.value().matches("v?\\d+\\.\\d+\\.\\d+");
        List<Function<FeatureContext, Optional<RegistryFeature>>> features = new ArrayList<>();
        features.add(ctx -> {
            ctx.publish(TagProtection.class, semverImmutable);
            return Optional.empty();
        });
        features.add(MaintenanceFeature::create);
        try (RegistryServer server = RegistryServer.start(config, features)) {
            Http http = new Http(server.baseUrl());
            Oci oci = new Oci(http);
            for (String tag : List.of("1.0.0", "dev-1", "1.1.0", "dev-2", "dev-3")) {
                oci.pushImage("ret/app", tag, "image " + tag, "");
                Thread.sleep(1100); // distinct push times, even on second-precision storage
            }
            Maintenance maintenance = server.context().service(Maintenance.class).orElseThrow();
            RetentionReport dry = maintenance.applyRetention(true);
            assertEquals(List.of("dev-2", "dev-1"), dry.removed().stream().map(t -> t.tag().value()).toList(), dry.summary());
            RetentionReport report = maintenance.applyRetention(false);
            assertEquals(List.of("1.1.0", "1.0.0"), report.protectedKept().stream().map(t -> t.tag().value()).toList());
            String tags = http.get("/v2/ret/app/tags/list").text();
            assertEquals("{\"name\":\"ret/app\",\"tags\":[\"1.0.0\",\"1.1.0\",\"dev-3\"]}", tags);
        }
        // from the CLI, the configured protection applies (retention.protect)
        RegistryConfig cliConfig = config("""
                retention:
                  rules:
                    - repositories: "ret/**"
                      keepMatching: "dev-.*"
                  protect:
                    - repositories: "**"
                      tags: semver
                """);
        Run run = cli(MaintenanceCommand.Task.RETENTION, cliConfig);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("retention removed 0 tag(s); 2 kept only because they are protected"), run.out());
    }

    @Test
    void scrub_findsBlobCorruptedOnDisk_rePushRepairs() throws Exception {
        RegistryConfig config = config("");
        try (RegistryServer server = RegistryServer.start(config)) {
            Http http = new Http(server.baseUrl());
            Oci oci = new Oci(http);
            byte[] layer = Oci.random(300_000, 77);
            Digest d = oci.pushBlob("scrub/app", layer);
            oci.pushImage("scrub/app", "1.0.0", "healthy", "");
            Path file = dir.resolve("data/blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data");
            byte[] rotten = Files.readAllBytes(file);
            rotten[150_000] ^= 0x01; // one flipped bit on the disk
            Files.write(file, rotten);

            Run run = cli(MaintenanceCommand.Task.SCRUB, config);
            assertEquals(1, run.exit(), "corruption found is a negative result: " + run.out());
            assertTrue(run.out().contains("corrupt  " + d), run.out());
            assertTrue(Files.exists(dir.resolve("data/_quarantine/blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data")));
            assertEquals(404, http.head("/v2/scrub/app/blobs/" + d).status(), "the corrupt copy is no longer served");

            assertEquals(d, oci.pushBlob("scrub/app", layer), "a re-push stores good bytes again");
            assertArrayEquals(layer, http.get("/v2/scrub/app/blobs/" + d).body());
            Run again = cli(MaintenanceCommand.Task.SCRUB, config);
            assertEquals(0, again.exit(), again.out());
            assertTrue(again.out().contains(": 0 corrupt"), again.out());
        }
    }

    @Test
    void scrub_onS3_findsObjectCorruptedOnTheServersDisk_rePushRepairs() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        String bucket = s3.createBucket();
        try (TestRegistry registry = TestRegistry.start(dir.resolve("s3"), s3.registryEnv(bucket))) {
            Http http = new Http(registry.base());
            Oci oci = new Oci(http);
            byte[] layer = Oci.random(200_000, 78);
            Digest d = oci.pushBlob("scrub/s3", layer);
            Path file = s3.objectFile(bucket, "blobs/sha256/" + d.hex().substring(0, 2) + "/" + d.hex() + "/data");
            assertTrue(Files.exists(file), "s3proxy's filesystem backend keeps objects as files: " + file);
            byte[] rotten = Files.readAllBytes(file);
            rotten[10] ^= 0x40;
            Files.write(file, rotten);

            var report = registry.server().context().service(Maintenance.class).orElseThrow().scrub(false);
            assertEquals(List.of(d), report.corrupt().stream().map(c -> c.digest()).toList(), report.summary());
            assertEquals(404, http.head("/v2/scrub/s3/blobs/" + d).status());
            assertEquals(d, oci.pushBlob("scrub/s3", layer));
            assertArrayEquals(layer, http.get("/v2/scrub/s3/blobs/" + d).body());
        }
    }

    @Test
    void purgeCommand_removesExpiredUploadSessions() throws Exception {
        RegistryConfig config = config("purge:\n  uploadMaxAgeSeconds: 1\n");
        try (RegistryServer server = RegistryServer.start(config)) {
            Http http = new Http(server.baseUrl());
            String stale = http.post("/v2/purge/app/blobs/uploads/").header("Location").orElseThrow();
            assertEquals(202, http.patch(stale, utf8("half"), "0-3").status());
            Thread.sleep(2100);
            String fresh = http.post("/v2/purge/app/blobs/uploads/").header("Location").orElseThrow();

            Run dry = cli(MaintenanceCommand.Task.PURGE, config, "--dry-run");
            assertEquals(0, dry.exit());
            assertTrue(dry.out().contains("would remove 1 expired upload session"), dry.out());
            assertEquals(204, http.get(stale).status());

            Run run = cli(MaintenanceCommand.Task.PURGE, config);
            assertEquals(0, run.exit(), run.err());
            http.get(stale).assertError(404, "BLOB_UPLOAD_UNKNOWN");
            assertEquals(204, http.get(fresh).status(), "a session in use stays");
        }
    }

    @Test
    void commands_refuseUnknownOptions() throws Exception {
        Run run = cli(MaintenanceCommand.Task.GC, config(""), "--everything");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("unknown option for gc: --everything"), run.err());
    }
}
