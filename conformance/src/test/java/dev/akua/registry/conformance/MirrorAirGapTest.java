package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.akua.registry.conformance.MirrorFixtures.Distribution;
import dev.akua.registry.conformance.MirrorFixtures.Image;
import dev.akua.registry.conformance.MirrorFixtures.Run;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.signing.key.KeyKind;
import dev.akua.registry.signing.key.SigningKey;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Air-gap transfer (issue 9): a connected registry mirrors from CNCF Distribution 2.8 (filled with
 * skopeo; signatures, attestation and an SBOM referrer pushed as cosign/oras do) and proxies a Helm
 * repository; {@code export} writes everything to an OCI image-layout archive skopeo reads;
 * {@code import} into a second registry gives identical digests for everything, refuses a tampered
 * archive with nothing imported, and completes an import that was killed half-way when run again.
 */
class MirrorAirGapTest {
    @TempDir
    static Path dir;
    static Distribution upstream;
    static WireMockServer helmUpstream;
    static Path sourceConfig;
    static Path archive;
    static Image v1;
    static byte[] index;
    static byte[] chart;
    static Digest sbom;

    static Path config(Path root, String yaml) throws IOException {
        Files.createDirectories(root);
        Path file = root.resolve("akua-registry.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    static Map<String, String> env(Path root) {
        Map<String, String> env = MirrorFixtures.env(root);
        env.put("AKUA_REGISTRY_HELM_REMOTE_ALLOWLOOPBACK", "true");
        return env;
    }

    @BeforeAll
    static void connectedSite() throws Exception {
        upstream = new Distribution(dir.resolve("upstream"), null, null);
        Path layout = dir.resolve("layout");
        OciLayout l = new OciLayout(layout);
        v1 = MirrorFixtures.image(l, "v1", 6 << 20);
        Image tool = MirrorFixtures.image(l, "tool", 3 << 20);
        index = l.index(l.image("amd64", "a"), l.image("arm64", "b"));
        l.ref("v1", MediaTypes.OCI_MANIFEST, v1.manifest());
        l.ref("tool", MediaTypes.OCI_MANIFEST, tool.manifest());
        l.ref("multi", MediaTypes.OCI_INDEX, index);
        l.write();
        MirrorFixtures.skopeoPush(dir, layout, "v1", upstream.hostPort() + "/acme/app:v1");
        MirrorFixtures.skopeoPush(dir, layout, "multi", upstream.hostPort() + "/acme/app:multi", "--all");
        MirrorFixtures.skopeoPush(dir, layout, "tool", upstream.hostPort() + "/acme/tool:1.0");
        Oci oci = new Oci(new Http(upstream.base()));
        SigningKey key = SigningKey.generate(KeyKind.ECDSA_P256, new SecureRandom());
        MirrorFixtures.sign(oci, "acme/app", upstream.hostPort() + "/acme/app", v1.digest(), key);
        MirrorFixtures.attest(oci, "acme/app", v1.digest());
        sbom = MirrorFixtures.referrer(oci, "acme/app", v1.manifest(), true);

        helmUpstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        helmUpstream.start();
        chart = HelmFixtures.chart("demo", "1.0.0");
        byte[] newer = HelmFixtures.chart("demo", "1.1.0");
        helmUpstream.stubFor(get(urlEqualTo("/stable/charts/demo-1.0.0.tgz")).willReturn(aResponse().withStatus(200).withBody(chart)));
        helmUpstream.stubFor(get(urlEqualTo("/stable/charts/demo-1.1.0.tgz")).willReturn(aResponse().withStatus(200).withBody(newer)));
        helmUpstream.stubFor(get(urlEqualTo("/stable/index.yaml")).willReturn(aResponse().withStatus(200).withBody(HelmFixtures.index(
                List.of(new HelmFixtures.IndexEntry("demo", "1.0.0", "charts/demo-1.0.0.tgz", HelmFixtures.sha256(chart)),
                        new HelmFixtures.IndexEntry("demo", "1.1.0", "charts/demo-1.1.0.tgz", HelmFixtures.sha256(newer)))))));

        Path root = dir.resolve("source");
        sourceConfig = config(root, """
                mirror:
                  upstreams:
                    - name: dist
                      url: %s
                      prefix: mirror/dist
                  rules:
                    - name: all
                      upstream: dist
                      repositories: [acme/app, acme/tool]
                helm:
                  enabled: true
                  spoolDir: %s
                  upstreams:
                    - name: fake
                      url: http://127.0.0.1:%d/stable
                """.formatted(upstream.base(), root.resolve("helm-spool"), helmUpstream.port()));
        Run mirrored = MirrorFixtures.cli(sourceConfig, env(root), "mirror", "run", "--progress", "none");
        assertEquals(0, mirrored.exit(), mirrored::toString);
        // one version of the proxied chart is fetched through the OCI view, as a client pulling it would;
        // the export fetches the other one from the Helm upstream itself
        try (TestRegistry source = TestRegistry.start(root, Files.readString(sourceConfig), env(root))) {
            assertEquals(200, new Http(source.base()).get("/v2/helm/fake/demo/manifests/1.0.0",
                    "Accept", MediaTypes.OCI_MANIFEST).status());
        }
        archive = dir.resolve("transfer.tar");
        Run exported = MirrorFixtures.cli(sourceConfig, env(root), "export", "--output", archive.toString(),
                "--repository", "mirror/**", "--repository", "helm/fake/demo", "--progress", "lines");
        assertEquals(0, exported.exit(), exported::toString);
        assertTrue(exported.out().contains("export: started (") && exported.out().contains("export: done ("), exported::toString);
        assertTrue(exported.out().contains("export: 5 artifacts"), exported::toString);
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
        if (helmUpstream != null) {
            helmUpstream.stop();
        }
    }

    /** Every repository, tag → digest, and referrers of tagged manifests, as a client sees them through the API. */
    static Map<String, String> visible(TestRegistry registry) {
        Http http = new Http(registry.base());
        Map<String, String> out = new TreeMap<>();
        for (JsonNode repo : http.get("/v2/_catalog").json().get("repositories")) {
            String name = repo.asText();
            for (JsonNode tag : http.get("/v2/" + name + "/tags/list").json().get("tags")) {
                String digest = MirrorRunTest.digestOf(http, "/v2/" + name + "/manifests/" + tag.asText());
                out.put(name + ":" + tag.asText(), digest);
                for (JsonNode r : http.get("/v2/" + name + "/referrers/" + digest).json().get("manifests")) {
                    out.put(name + "@" + digest + " referrer", r.get("digest").asText());
                }
            }
        }
        return out;
    }

    @Test
    void exportThenImport_identicalDigestsForEverything_andSkopeoReadsTheArchive() throws Exception {
        Path root = dir.resolve("target-ok");
        Path config = config(root, "");
        Run imported = MirrorFixtures.cli(config, env(root), "import", archive.toString(), "--progress", "lines");
        assertEquals(0, imported.exit(), imported::toString);
        assertTrue(imported.out().contains("verify: started") && imported.out().contains("publish: done"), imported::toString);
        assertTrue(imported.out().contains("import: 5 artifacts"), imported::toString);

        Map<String, String> before;
        try (TestRegistry source = TestRegistry.start(dir.resolve("source"), Files.readString(sourceConfig), env(dir.resolve("source")))) {
            before = visible(source);
        }
        try (TestRegistry target = TestRegistry.start(root, "", env(root))) {
            Map<String, String> after = visible(target);
            assertEquals(before, after);
            assertTrue(after.containsKey("mirror/dist/acme/app:" + v1.digest().tagForm() + ".sig"), after.toString());
            assertTrue(after.containsKey("mirror/dist/acme/app:" + v1.digest().tagForm() + ".att"), after.toString());
            assertEquals(sbom.toString(), after.get("mirror/dist/acme/app@" + v1.digest() + " referrer"));
            assertTrue(after.containsKey("helm/fake/demo:1.0.0"), after.toString());
            assertTrue(after.containsKey("helm/fake/demo:1.1.0"), "fetched from the Helm upstream by the export: " + after);
            Http http = new Http(target.base());
            assertArrayEquals(v1.layerBytes(), http.get("/v2/mirror/dist/acme/app/blobs/" + v1.layer()).body());
            JsonNode chartManifest = http.get("/v2/helm/fake/demo/manifests/1.0.0", "Accept", MediaTypes.OCI_MANIFEST).json();
            assertArrayEquals(chart, http.get("/v2/helm/fake/demo/blobs/" + chartManifest.get("layers").get(0).get("digest").asText()).body());
        }

        // standard tools read the archive
        String raw = Tools.ok(dir, "skopeo", "inspect", "--raw", "oci-archive:" + archive + ":mirror/dist/acme/app:v1");
        assertEquals(v1.digest(), Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Tools.ok(dir, "skopeo", "copy", "--all", "oci-archive:" + archive + ":mirror/dist/acme/app:multi", "oci:" + dir.resolve("by-skopeo") + ":multi");
        assertEquals(Digest.sha256(index), OciLayout.refDigest(dir.resolve("by-skopeo"), "multi"));

        Run again = MirrorFixtures.cli(config, env(root), "import", archive.toString(), "--progress", "none");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("0 manifests stored, 0 blobs stored"), "a second import changes nothing: " + again);
    }

    @Test
    void import_tamperedArchive_refusedWithNothingImported() throws Exception {
        Path tampered = dir.resolve("tampered.tar");
        String layer = "blobs/sha256/" + v1.layer().hex();
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in);
             OutputStream out = Files.newOutputStream(tampered); TarArchiveOutputStream copy = new TarArchiveOutputStream(out)) {
            copy.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                byte[] bytes = tar.readAllBytes();
                if (e.getName().equals(layer)) {
                    bytes[bytes.length - 100] ^= 0x20;   // one bit, same size
                }
                TarArchiveEntry c = new TarArchiveEntry(e.getName());
                c.setSize(e.isDirectory() ? 0 : bytes.length);
                copy.putArchiveEntry(c);
                copy.write(bytes);
                copy.closeArchiveEntry();
            }
        }
        Path root = dir.resolve("target-tampered");
        Run refused = MirrorFixtures.cli(config(root, ""), env(root), "import", tampered.toString(), "--progress", "none");

        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("refused") && refused.err().contains(v1.layer().toString()), refused::toString);
        try (TestRegistry target = TestRegistry.start(root, "", env(root))) {
            Http http = new Http(target.base());
            assertEquals("[]", http.get("/v2/_catalog").json().get("repositories").toString(), "nothing was imported");
            http.get("/v2/mirror/dist/acme/app/manifests/v1").assertError(404, "NAME_UNKNOWN");
            assertEquals(404, http.get("/v2/mirror/dist/acme/app/blobs/" + v1.config()).status());
        }
    }

    @Test
    void import_processKilledHalfWay_completesWhenRunAgain() throws Exception {
        Path root = dir.resolve("target-killed");
        Path config = config(root, "");
        Path fifo = root.resolve("archive.fifo");
        Tools.ok(root, "mkfifo", fifo.toString());
        Path log = root.resolve("import.log");
        Process importing = MirrorFixtures.process(config, env(root), log, "import", fifo.toString(), "--progress", "lines");
        byte[] all = Files.readAllBytes(archive);
        Path blobs = StorageBackend.files(root).resolve("blobs");
        // the transfer stalls half-way through the archive (the writer keeps the pipe open)…
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream feed = Files.newOutputStream(fifo)) {
                feed.write(all, 0, all.length / 2);
                feed.flush();
                Thread.sleep(120_000);
            } catch (IOException | InterruptedException e) {
                // the reader was killed, or the test is done
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countFiles(blobs) < 3 && importing.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // …and the import is killed (SIGKILL: no cleanup of any kind)
        importing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        feeder.interrupt();
        if (feeder.isAlive()) {
            try (InputStream unblock = Files.newInputStream(fifo)) {
                // a writer still waiting for a reader (the process never opened the pipe) is released
            }
        }
        feeder.join(10_000);
        assertFalse(importing.isAlive());
        assertTrue(countFiles(blobs) >= 3, "the first attempt verified and kept some blobs: " + Files.readString(log));
        assertFalse(Files.exists(StorageBackend.files(root).resolve("repositories")), "nothing is visible after the interrupted import");

        Run resumed = MirrorFixtures.cli(config, env(root), "import", archive.toString(), "--progress", "none");

        assertEquals(0, resumed.exit(), resumed::toString);
        assertFalse(resumed.out().contains(" 0 already present"), "blobs from the first attempt are not read again: " + resumed);
        Map<String, String> before;
        try (TestRegistry source = TestRegistry.start(dir.resolve("source"), Files.readString(sourceConfig), env(dir.resolve("source")))) {
            before = visible(source);
        }
        try (TestRegistry target = TestRegistry.start(root, "", env(root))) {
            assertEquals(before, visible(target));
        }
    }

    @Test
    void import_archiveWrittenBySkopeo_intoNamedRepository() throws Exception {
        Path foreign = dir.resolve("foreign.tar");
        Tools.ok(dir, "skopeo", "copy", "oci:" + dir.resolve("layout") + ":v1", "oci-archive:" + foreign + ":v1");
        Path root = dir.resolve("target-foreign");
        Path config = config(root, "");

        Run refused = MirrorFixtures.cli(config, env(root), "import", foreign.toString(), "--progress", "none");
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("--repository"), "an archive without repository names needs one: " + refused);

        Run imported = MirrorFixtures.cli(config, env(root), "import", foreign.toString(), "--repository", "imported/app",
                "--progress", "none");
        assertEquals(0, imported.exit(), imported::toString);
        try (TestRegistry target = TestRegistry.start(root, "", env(root))) {
            assertEquals(v1.digest().toString(), MirrorRunTest.digestOf(new Http(target.base()), "/v2/imported/app/manifests/v1"));
        }
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals("data")).count();
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n")));
    }
}
