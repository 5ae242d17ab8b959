package dev.akua.registry.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.publisher.bundle.OciBundle;
import dev.akua.registry.signing.BlobUpload;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublisherTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Publisher publisher = new Publisher(PublishLimits.defaults());

    private Publication publish(Shape shape, byte[] tgz) throws Exception {
        return publisher.publish(Fixtures.request(shape), new ByteArrayInputStream(tgz));
    }

    private PublishRefusal refused(Shape shape, byte[] tgz) {
        return assertThrows(PublishRefusal.class, () -> publish(shape, tgz));
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void publish_sameManifestsOtherOrderTimesOwnersAndWrapper_sameManifestDigest(Shape shape) throws Exception {
        Publication a = publish(shape, Fixtures.render().tgz());
        Publication b = publish(shape, Fixtures.render().reversed().mtime(5).tgz());
        Publication c = publish(shape, Tars.tar().mtime(99_000).dir("deploy")
                .file("deploy/002-deployment-hello.yaml", Fixtures.DEPLOYMENT)
                .file("./deploy/000-configmap-hello.yaml", Fixtures.CONFIGMAP)
                .file("deploy/001-service-hello.yaml", Fixtures.SERVICE).tgz());
        assertEquals(a.manifest().digest(), b.manifest().digest());
        assertEquals(a.manifest().digest(), c.manifest().digest());
        assertArrayEquals(a.manifest().content(), c.manifest().content());
        assertNotEquals(a.input().archiveDigest(), b.input().archiveDigest());
        assertEquals(a.input().renderedDigest(), c.input().renderedDigest());
    }

    @Test
    void publish_changedManifest_otherDigest() throws Exception {
        Publication a = publish(Shape.HELM_CHART, Fixtures.render().tgz());
        Publication b = publish(Shape.HELM_CHART, Tars.tar()
                .file("000-configmap-hello.yaml", Fixtures.CONFIGMAP.replace("hello", "bye"))
                .file("001-service-hello.yaml", Fixtures.SERVICE)
                .file("002-deployment-hello.yaml", Fixtures.DEPLOYMENT).tgz());
        assertNotEquals(a.manifest().digest(), b.manifest().digest());
    }

    @Test
    void publish_renderedDigest_isAkuaHashDirOfTheFiles() throws Exception {
        Publication p = publish(Shape.OCI_BUNDLE, Fixtures.render().tgz());
        java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream();
        for (String[] f : new String[][]{{"000-configmap-hello.yaml", Fixtures.CONFIGMAP},
                {"001-service-hello.yaml", Fixtures.SERVICE}, {"002-deployment-hello.yaml", Fixtures.DEPLOYMENT}}) {
            h.writeBytes(f[0].getBytes(StandardCharsets.UTF_8));
            h.write(0);
            h.writeBytes(f[1].getBytes(StandardCharsets.UTF_8));
            h.write('\n');
        }
        assertEquals(Digest.sha256(h.toByteArray()), p.input().renderedDigest());
    }

    @Test
    void publish_helmChart_helmMediaTypesAnnotationsAndChartYaml() throws Exception {
        Publication p = publish(Shape.HELM_CHART, Fixtures.render().tgz());
        assertEquals("1.2.3_build.7", p.tag().value());
        JsonNode m = JSON.readTree(p.manifest().content());
        assertEquals(MediaTypes.HELM_CONFIG, m.at("/config/mediaType").asText());
        assertEquals(1, m.get("layers").size());
        assertEquals(MediaTypes.HELM_CHART_CONTENT, m.at("/layers/0/mediaType").asText());
        JsonNode ann = m.get("annotations");
        assertEquals("hello", ann.get("org.opencontainers.image.title").asText());
        assertEquals("1.2.3+build.7", ann.get("org.opencontainers.image.version").asText());
        assertEquals("Hello <world> & more", ann.get("org.opencontainers.image.description").asText());
        assertEquals("2026-01-02T03:04:05Z", ann.get("org.opencontainers.image.created").asText());
        assertEquals(Fixtures.SOURCE.toString(), ann.get(PublishAnnotations.SOURCE_DIGEST).asText());
        assertEquals(p.input().renderedDigest().toString(), ann.get(PublishAnnotations.RENDERED_DIGEST).asText());
        // Go's encoding/json escapes <, > and & as helm push's config does
        String raw = new String(p.manifest().content(), StandardCharsets.UTF_8);
        assertTrue(raw.contains("Hello \\u003cworld\\u003e \\u0026 more"), raw);

        Map<String, String> files = untar(blob(p, MediaTypes.HELM_CHART_CONTENT).content());
        assertEquals(List.of("hello/Chart.yaml", "hello/templates/000-configmap-hello.yaml",
                "hello/templates/001-service-hello.yaml", "hello/templates/002-deployment-hello.yaml", "hello/values.yaml"),
                new ArrayList<>(files.keySet()));
        String chartYaml = files.get("hello/Chart.yaml");
        assertTrue(chartYaml.startsWith("apiVersion: v2\nname: \"hello\"\nversion: \"1.2.3+build.7\"\n"), chartYaml);
        assertTrue(chartYaml.contains("\"" + PublishAnnotations.SOURCE_DIGEST + "\": \"" + Fixtures.SOURCE + "\""), chartYaml);
        assertEquals(Fixtures.SERVICE, files.get("hello/templates/001-service-hello.yaml"));
        assertTrue(files.get("hello/templates/000-configmap-hello.yaml").contains("greeting: \"{{\"{{\"}} .Values.x }}\""));

        JsonNode config = JSON.readTree(blob(p, MediaTypes.HELM_CONFIG).content());
        assertEquals(List.of("name", "version", "description", "apiVersion", "annotations", "type"), fieldNames(config));
    }

    @Test
    void publish_ociBundle_oneTitledLayerPerFileAndMetadataConfig() throws Exception {
        Publication p = publish(Shape.OCI_BUNDLE, Fixtures.render().tgz());
        JsonNode m = JSON.readTree(p.manifest().content());
        assertEquals(OciBundle.ARTIFACT_TYPE, m.get("artifactType").asText());
        assertEquals(OciBundle.CONFIG_MEDIA_TYPE, m.at("/config/mediaType").asText());
        List<String> titles = new ArrayList<>();
        for (JsonNode layer : m.get("layers")) {
            assertEquals(OciBundle.LAYER_MEDIA_TYPE, layer.get("mediaType").asText());
            titles.add(layer.at("/annotations/org.opencontainers.image.title").asText());
        }
        assertEquals(List.of("000-configmap-hello.yaml", "001-service-hello.yaml", "002-deployment-hello.yaml"), titles);
        assertEquals(Digest.sha256(Fixtures.SERVICE.getBytes(StandardCharsets.UTF_8)).toString(), m.at("/layers/1/digest").asText());
        JsonNode config = JSON.readTree(blob(p, OciBundle.CONFIG_MEDIA_TYPE).content());
        assertEquals("hello", config.get("name").asText());
        assertEquals(Fixtures.SOURCE.toString(), config.at("/source/digest").asText());
        assertEquals("web", config.at("/files/1/namespace").asText());
        assertEquals("Deployment", config.at("/files/2/kind").asText());
    }

    @Test
    void publish_filesSortedByRenderPositionNumerically() throws Exception {
        Publication p = publish(Shape.OCI_BUNDLE, Tars.tar()
                .file("1000-service-b.yaml", Fixtures.SERVICE.replace("name: hello", "name: b"))
                .file("999-service-a.yaml", Fixtures.SERVICE.replace("name: hello", "name: a")).tgz());
        assertEquals(List.of("999-service-a.yaml", "1000-service-b.yaml"),
                p.input().manifests().stream().map(RenderedManifest::fileName).toList());
    }

    @Test
    void publish_yamlAliasBomb_refused() {
        String bomb = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: lol
                data:
                  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                """;
        PublishRefusal e = refused(Shape.OCI_BUNDLE, Tars.tar().file("000-configmap-lol.yaml", bomb).tgz());
        assertEquals(PublishRefusal.Kind.INVALID_MANIFEST, e.kind());
        assertEquals("000-configmap-lol.yaml: YAML aliases are not accepted (line 7)", e.getMessage());
        assertEquals("000-configmap-lol.yaml", e.file());
    }

    @Test
    void publish_nonKubernetesYaml_refusedNamingTheField() {
        assertEquals("000-x-y.yaml: not a Kubernetes resource: kind is missing",
                refused(Shape.HELM_CHART, Tars.tar().file("000-x-y.yaml", "apiVersion: v1\nmetadata:\n  name: y\n").tgz()).getMessage());
        assertEquals("000-x-y.yaml: not a Kubernetes resource: metadata.name is missing",
                refused(Shape.HELM_CHART, Tars.tar().file("000-x-y.yaml", "apiVersion: v1\nkind: X\nmetadata: {}\n").tgz()).getMessage());
        assertEquals("000-x-y.yaml: not a Kubernetes resource: the document is a array, not a mapping",
                refused(Shape.HELM_CHART, Tars.tar().file("000-x-y.yaml", "- a\n- b\n").tgz()).getMessage());
        assertEquals("000-x-y.yaml: not a Kubernetes resource: apiVersion 'Not A Version' is not [group/]version",
                refused(Shape.HELM_CHART, Tars.tar().file("000-x-y.yaml", "apiVersion: Not A Version\nkind: X\nmetadata: {name: y}\n").tgz()).getMessage());
    }

    @Test
    void publish_twoDocumentsInOneFile_refused() {
        PublishRefusal e = refused(Shape.OCI_BUNDLE, Tars.tar().file("000-service-hello.yaml", Fixtures.SERVICE + "---\n" + Fixtures.SERVICE).tgz());
        assertEquals("000-service-hello.yaml: holds more than one YAML document; the render output has one resource a file", e.getMessage());
    }

    @Test
    void publish_invalidYamlAndDeepNesting_refused() {
        assertEquals(PublishRefusal.Kind.INVALID_MANIFEST,
                refused(Shape.OCI_BUNDLE, Tars.tar().file("000-a-b.yaml", "a: [unclosed\n").tgz()).kind());
        String deep = "apiVersion: v1\nkind: X\nmetadata: {name: y}\ndata: " + "[".repeat(500) + "]".repeat(500) + "\n";
        PublishRefusal e = refused(Shape.OCI_BUNDLE, Tars.tar().file("000-a-b.yaml", deep).tgz());
        assertEquals(PublishRefusal.Kind.INVALID_MANIFEST, e.kind());
        assertTrue(e.getMessage().contains("nesting") || e.getMessage().contains("depth"), e.getMessage());
    }

    @Test
    void publish_otherFilesOrLayouts_refused() {
        assertEquals("file 'README.md' is not a rendered manifest: names must look like NNN-<kind>-<name>.yaml",
                refused(Shape.OCI_BUNDLE, Fixtures.render().file("README.md", "hi").tgz()).getMessage());
        PublishRefusal e = refused(Shape.OCI_BUNDLE, Tars.tar().file("a/000-x-y.yaml", Fixtures.SERVICE).file("b/001-x-y.yaml", Fixtures.SERVICE).tgz());
        assertTrue(e.getMessage().contains("out of place"), e.getMessage());
        assertEquals("the archive holds no manifest files", refused(Shape.OCI_BUNDLE, Tars.tar().dir("deploy").tgz()).getMessage());
    }

    @Test
    void publish_notUtf8_refused() {
        byte[] latin1 = "apiVersion: v1\nkind: X\nmetadata: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("000-x-y.yaml: not UTF-8 text", refused(Shape.OCI_BUNDLE, Tars.tar().file("000-x-y.yaml", latin1).tgz()).getMessage());
    }

    @Test
    void publish_helmChartWithNoValueText_refusedButBundleAccepts() throws Exception {
        String cm = Fixtures.CONFIGMAP.replace("greeting: \"{{ .Values.x }}\"", "greeting: \"<no value>\"");
        PublishRefusal e = refused(Shape.HELM_CHART, Tars.tar().file("000-configmap-hello.yaml", cm).tgz());
        assertEquals(PublishRefusal.Kind.UNREPRODUCIBLE, e.kind());
        assertTrue(e.getMessage().contains("'<no value>'"), e.getMessage());
        publish(Shape.OCI_BUNDLE, Tars.tar().file("000-configmap-hello.yaml", cm).tgz());
    }

    @Test
    void publish_hostileArchive_refusedAsArchiveOrTooLarge() {
        assertEquals(PublishRefusal.Kind.INVALID_ARCHIVE, refused(Shape.HELM_CHART, Fixtures.render().file("../000-x-y.yaml", "x").tgz()).kind());
        assertEquals(PublishRefusal.Kind.TOO_LARGE, refused(Shape.HELM_CHART, Tars.zeroFileBomb("000-x-y.yaml", 8L << 20)).kind());
    }

    @Test
    void request_invalidMetadata_refusedWithReason() {
        assertThrows(PublishRefusal.class, () -> new PublishRequest(Shape.HELM_CHART, "Hello", "1.0.0", "", null, Fixtures.SOURCE, null));
        PublishRefusal v = assertThrows(PublishRefusal.class, () -> new PublishRequest(Shape.HELM_CHART, "hello", "1.0", "", null, Fixtures.SOURCE, null));
        assertTrue(v.getMessage().contains("SemVer"), v.getMessage());
        assertThrows(PublishRefusal.class, () -> new PublishRequest(Shape.HELM_CHART, "hello", "v1.0.0", "", null, Fixtures.SOURCE, null));
        assertThrows(PublishRefusal.class, () -> new PublishRequest(Shape.HELM_CHART, "hello", "1.0.0", "a\nb", null, Fixtures.SOURCE, null));
        assertThrows(PublishRefusal.class, () -> new PublishRequest(Shape.HELM_CHART, "hello", "1.0.0", "", null, null, null));
        assertThrows(PublishRefusal.class, () -> PublishRequest.parseDigest("sha256:abc", "source digest"));
        assertThrows(PublishRefusal.class, () -> Shape.parse("kustomize"));
        assertEquals(java.time.Instant.EPOCH, new PublishRequest(Shape.OCI_BUNDLE, "a", "0.1.0", null, null, Fixtures.SOURCE, null).created());
    }

    private static BlobUpload blob(Publication p, String mediaType) {
        return p.blobs().stream().filter(b -> b.mediaType().equals(mediaType)).findFirst().orElseThrow();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static Map<String, String> untar(byte[] tgz) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
