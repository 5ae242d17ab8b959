package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code publish --as helm-chart} against a real Helm (helm-java, Helm v3.21 in-process): the chart
 * Helm pulls from the registry renders back to exactly the input manifests, {@code helm show chart}
 * shows the metadata, akua's OCI fetch rules (wire contract §2.3) find a Helm chart dependency in it,
 * and the same manifests always give the same manifest digest. The registry runs with the default
 * feature list ({@code Features.factories()}), as operators run it.
 */
class PublishHelmTest {
    @TempDir
    Path work;
    private TestRegistry registry;
    private Http http;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(work.resolve("registry"), Map.of("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true"));
        http = new Http(registry.base());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private JsonNode publishHelm(String repo, String version, byte[] tgz) {
        Http.Resp r = PublishFixtures.publish(http, PublishFixtures.publishPath(repo, "helm-chart", version), tgz, null);
        assertEquals(201, r.status(), r.text());
        return r.json();
    }

    @Test
    void helmTemplate_publishedChart_documentsIdenticalToTheInputManifests() {
        JsonNode published = publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(PublishFixtures.render()).bytes());
        assertEquals(registry.hostPort() + "/acme/charts/hello:1.2.3", published.get("reference").asText());

        String out = Helm.template("oci://" + registry.hostPort() + "/acme/charts/hello")
                .withVersion("1.2.3").withName("rel").plainHttp().call();

        Map<String, String> docs = documentsBySource(out);
        assertEquals(PublishFixtures.render().size(), docs.size(), out);
        for (Map.Entry<String, String> m : PublishFixtures.render().entrySet()) {
            // helm prints each rendered document between its "# Source:" line and the next separator,
            // with surrounding whitespace trimmed (releaseutil.SplitManifests); the bytes are otherwise the file's
            assertEquals(m.getValue().strip(), docs.get("hello/templates/" + m.getKey()), m.getKey());
        }
        assertTrue(docs.get("hello/templates/000-configmap-hello.yaml").contains("greeting: \"{{ .Values.x }}\""), out);
    }

    @Test
    void helmShowChart_publishedChart_showsTheMetadata() {
        publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(PublishFixtures.render()).bytes());

        String chart = Helm.show("oci://" + registry.hostPort() + "/acme/charts/hello").chart()
                .withVersion("1.2.3").plainHttp().call();

        assertTrue(chart.contains("apiVersion: v2"), chart);
        assertTrue(chart.contains("name: hello"), chart);
        assertTrue(chart.contains("version: 1.2.3"), chart);
        assertTrue(chart.contains("description: Hello <world> & friends"), chart);
        assertTrue(chart.contains("dev.akua.source.digest: " + PublishFixtures.SOURCE), chart);
        assertTrue(chart.contains("dev.akua.source.ref: " + PublishFixtures.SOURCE_REF), chart);
        assertTrue(chart.contains("dev.akua.rendered.digest: sha256:"), chart);
    }

    @Test
    void publishedChart_helmPushShape_mediaTypesAndAnnotations() {
        JsonNode published = publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(PublishFixtures.render()).bytes());
        Http.Resp m = http.get("/v2/acme/charts/hello/manifests/1.2.3", "Accept", MediaTypes.OCI_MANIFEST);
        assertEquals(200, m.status());
        assertEquals(published.get("digest").asText(), Digest.sha256(m.body()).toString());
        JsonNode manifest = m.json();
        assertEquals(MediaTypes.HELM_CONFIG, manifest.at("/config/mediaType").asText());
        assertEquals(MediaTypes.HELM_CHART_CONTENT, manifest.at("/layers/0/mediaType").asText());
        JsonNode ann = manifest.get("annotations");
        assertEquals("hello", ann.get("org.opencontainers.image.title").asText());
        assertEquals("1.2.3", ann.get("org.opencontainers.image.version").asText());
        assertEquals("Hello <world> & friends", ann.get("org.opencontainers.image.description").asText());
        assertEquals("1970-01-01T00:00:00Z", ann.get("org.opencontainers.image.created").asText());
        JsonNode config = http.get("/v2/acme/charts/hello/blobs/" + manifest.at("/config/digest").asText()).json();
        assertEquals("hello", config.get("name").asText());
        assertEquals("v2", config.get("apiVersion").asText());
        assertEquals(PublishFixtures.SOURCE.toString(), config.at("/annotations/dev.akua.source.digest").asText());
    }

    /**
     * akua 0.8.5's dependency fetch (wire contract §1.4, §2.3): manifest GET with the OCI and Docker
     * Accept lines, a layer typed as a Helm chart, the blob re-hashed against the descriptor, gunzip +
     * untar, the package root being the extraction directory or its first subdirectory holding Chart.yaml.
     */
    @Test
    void akuaStyleFetch_publishedChart_recognisedAsHelmChartDependency() throws Exception {
        publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(PublishFixtures.render()).bytes());
        var request = http.request("/v2/acme/charts/hello/manifests/1.2.3")
                .header("Accept", MediaTypes.OCI_MANIFEST).header("Accept", MediaTypes.DOCKER_MANIFEST)
                .header("User-Agent", "akua/0.8.5").GET();
        Http.Resp m = http.send(request);
        assertEquals(200, m.status());
        JsonNode chartLayer = null;
        for (JsonNode layer : m.json().get("layers")) {
            if ("application/vnd.cncf.helm.chart.content.v1.tar+gzip".equals(layer.path("mediaType").asText())) {
                chartLayer = layer;
            }
        }
        assertTrue(chartLayer != null, "a layer with the Helm chart media type (akua's first detection rule)");
        byte[] blob = http.get("/v2/acme/charts/hello/blobs/" + chartLayer.get("digest").asText()).body();
        assertEquals(chartLayer.get("digest").asText(), Digest.sha256(blob).toString(), "akua re-hashes the blob");

        Path extract = work.resolve("akua-cache");
        Files.createDirectories(extract);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(blob)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = extract.resolve(e.getName()).normalize();
                assertTrue(target.startsWith(extract) && e.isFile(), "plain, contained entries only: " + e.getName());
                Files.createDirectories(target.getParent());
                Files.write(target, tar.readAllBytes());
            }
        }
        Path root = Files.isRegularFile(extract.resolve("Chart.yaml")) ? extract : null;
        if (root == null) {
            try (var dirs = Files.list(extract)) {
                root = dirs.filter(Files::isDirectory).filter(d -> Files.isRegularFile(d.resolve("Chart.yaml"))).findFirst().orElse(null);
            }
        }
        assertEquals(extract.resolve("hello"), root, "Chart.yaml one directory down, as akua's fetcher accepts");
        assertTrue(Files.readString(root.resolve("Chart.yaml")).contains("name: \"hello\""));
        assertTrue(Files.isRegularFile(root.resolve("templates/000-configmap-hello.yaml")));
    }

    /** The registry's own akua-exact resolver (lock API) pins the published chart as akua would: its chart layer digest. */
    @Test
    void lock_dependencyOnPublishedChart_pinnedToTheChartLayer() {
        publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(PublishFixtures.render()).bytes());
        String layer = http.get("/v2/acme/charts/hello/manifests/1.2.3").json().at("/layers/0/digest").asText();
        String manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\nstrict_signing = false\n\n[dependencies]\n"
                + "hello = { oci = \"oci://" + registry.hostPort() + "/acme/charts/hello\", version = \"1.2.3\" }\n";
        var body = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode().put("manifest", manifest);
        Http.Resp r = http.send(LockFixtures.lockRequest(http, body));
        assertEquals(200, r.status(), r.text());
        JsonNode dep = r.json().at("/dependencies/0");
        assertEquals("hello", dep.get("name").asText());
        assertEquals(layer, dep.get("digest").asText());
        assertTrue(r.json().get("lock").asText().contains("digest = \"" + layer + "\""), r.text());
    }

    @Test
    void publishTwice_sameManifestsOtherOrderAndTimestamps_sameManifestDigest() {
        Map<String, String> files = PublishFixtures.render();
        JsonNode first = publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(files).bytes());
        JsonNode again = publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(files).bytes());
        byte[] reordered = PublishFixtures.tgz().mtime(1_234_000L).files(files).reversed().bytes();
        JsonNode third = publishHelm("acme/charts/hello", "1.2.3", reordered);

        assertEquals(first.get("digest").asText(), again.get("digest").asText());
        assertEquals(first.get("digest").asText(), third.get("digest").asText());
        assertNotEquals(first.at("/input/archiveDigest").asText(), third.at("/input/archiveDigest").asText(),
                "the uploads differ byte-wise");
        assertEquals(first.at("/input/renderedDigest").asText(), third.at("/input/renderedDigest").asText());

        // and the stored chart archive is the same blob, its gzip header free of time and name
        JsonNode manifest = http.get("/v2/acme/charts/hello/manifests/1.2.3").json();
        byte[] chart = http.get("/v2/acme/charts/hello/blobs/" + manifest.at("/layers/0/digest").asText()).body();
        assertArrayEquals(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff}, java.util.Arrays.copyOf(chart, 10));
    }

    @Test
    void publish_otherManifests_otherDigest() {
        Map<String, String> files = PublishFixtures.render();
        JsonNode first = publishHelm("acme/charts/hello", "1.2.3", PublishFixtures.tgz().files(files).bytes());
        files.put("001-service-hello.yaml", PublishFixtures.SERVICE.replace("port: 80", "port: 81"));
        JsonNode changed = publishHelm("acme/charts/hello", "1.2.4", PublishFixtures.tgz().files(files).bytes());
        assertNotEquals(first.get("digest").asText(), changed.get("digest").asText());
    }

    /** Splits {@code helm template} output into documents by their {@code # Source:} path. */
    static Map<String, String> documentsBySource(String output) {
        String frame = "---\n# Source: ";
        Map<String, String> docs = new LinkedHashMap<>();
        int at = output.indexOf(frame);
        while (at >= 0) {
            int nameEnd = output.indexOf('\n', at + frame.length());
            String source = output.substring(at + frame.length(), nameEnd);
            int next = output.indexOf(frame, nameEnd);
            String body = output.substring(nameEnd + 1, next < 0 ? output.length() : next);
            docs.put(source, body.endsWith("\n") ? body.substring(0, body.length() - 1) : body);
            at = next;
        }
        return docs;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
