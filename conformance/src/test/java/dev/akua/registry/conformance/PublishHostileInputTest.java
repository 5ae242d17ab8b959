package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile publish inputs are refused with a 4xx and the registry's JSON error envelope saying what
 * is wrong, and nothing is stored: no repository, no tag, no blob, no upload session.
 */
class PublishHostileInputTest {
    private static final String REPO = "acme/charts/hello";
    @TempDir
    Path work;
    private TestRegistry registry;
    private Http http;
    private Path data;

    @BeforeEach
    void start() {
        data = work.resolve("data");
        registry = TestRegistry.start(work, Map.of(
                "AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", data.toString(),
                "AKUA_REGISTRY_PUBLISH_MAXUNPACKEDBYTES", String.valueOf(8 << 20),
                "AKUA_REGISTRY_PUBLISH_MAXFILEBYTES", String.valueOf(1 << 20)));
        http = new Http(registry.base());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private JsonNode refused(byte[] tgz, int status, String code) {
        Http.Resp r = PublishFixtures.publish(http, PublishFixtures.publishPath(REPO, "helm-chart", "1.0.0"), tgz, null);
        r.assertError(status, code);
        assertNothingStored();
        return r.json().at("/errors/0");
    }

    private void assertNothingStored() {
        http.get("/v2/" + REPO + "/tags/list").assertError(404, "NAME_UNKNOWN");
        assertEquals(0, http.get("/v2/_catalog").json().get("repositories").size());
        try (Stream<Path> files = Files.exists(data) ? Files.walk(data) : Stream.empty()) {
            List<Path> stored = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), stored, "nothing written to storage");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static PublishFixtures.Tgz good() {
        return PublishFixtures.tgz().files(PublishFixtures.render());
    }

    @Test
    void publish_traversalNames_refused() {
        JsonNode e = refused(good().file("../../etc/cron.d/000-x-y.yaml", PublishFixtures.SERVICE).bytes(), 400, "BLOB_UPLOAD_INVALID");
        assertEquals("entry '../../etc/cron.d/000-x-y.yaml' refers to a parent directory ('..')", e.get("message").asText());
        assertEquals("invalid-archive", e.at("/detail/reason").asText());
        e = refused(good().file("/etc/000-x-y.yaml", PublishFixtures.SERVICE).bytes(), 400, "BLOB_UPLOAD_INVALID");
        assertEquals("entry '/etc/000-x-y.yaml' has an absolute name", e.get("message").asText());
    }

    @Test
    void publish_symlinkAndHardlink_refused() {
        JsonNode e = refused(good().special("003-secret-keys.yaml", TarConstants.LF_SYMLINK, "/root/.ssh/id_rsa").bytes(), 400, "BLOB_UPLOAD_INVALID");
        assertEquals("entry '003-secret-keys.yaml' is a symbolic link; only regular files and directories are accepted", e.get("message").asText());
        e = refused(good().special("003-x-y.yaml", TarConstants.LF_LINK, "000-configmap-hello.yaml").bytes(), 400, "BLOB_UPLOAD_INVALID");
        assertTrue(e.get("message").asText().contains("is a hard link"));
    }

    @Test
    void publish_gzipBomb_stoppedWhileInflating() {
        byte[] bomb = PublishFixtures.longNameBomb(512L << 20);
        assertTrue(bomb.length < 1 << 20, "512 MiB inflated from " + bomb.length + " bytes");
        long start = System.nanoTime();
        JsonNode e = refused(bomb, 413, "BLOB_UPLOAD_INVALID");
        assertEquals("the archive expands to more than 8388608 bytes", e.get("message").asText());
        assertEquals("too-large", e.at("/detail/reason").asText());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused without inflating 512 MiB");
    }

    @Test
    void publish_oversizedFile_refused() {
        byte[] big = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: \"" + "a".repeat(1 << 20) + "\"\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JsonNode e = refused(good().file("003-configmap-big.yaml", big).bytes(), 413, "BLOB_UPLOAD_INVALID");
        assertEquals("file '003-configmap-big.yaml' has " + big.length + " bytes, more than the limit of 1048576", e.get("message").asText());
        // a bomb whose header tells its size is refused from the header alone
        e = refused(PublishFixtures.zeroBomb("000-configmap-zeros.yaml", 256L << 20), 413, "BLOB_UPLOAD_INVALID");
        assertTrue(e.get("message").asText().startsWith("file '000-configmap-zeros.yaml' has 268435456 bytes"), e.toString());
    }

    @Test
    void publish_yamlAliasBomb_refused() {
        String lol = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: lol
                data:
                  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                  e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                """;
        JsonNode e = refused(good().file("003-configmap-lol.yaml", lol).bytes(), 400, "MANIFEST_INVALID");
        assertEquals("003-configmap-lol.yaml: YAML aliases are not accepted (line 7)", e.get("message").asText());
        assertEquals("003-configmap-lol.yaml", e.at("/detail/file").asText());
    }

    @Test
    void publish_nonKubernetesYaml_refused() {
        JsonNode e = refused(good().file("003-values-x.yaml", "replicaCount: 3\nimage: nginx\n").bytes(), 400, "MANIFEST_INVALID");
        assertEquals("003-values-x.yaml: not a Kubernetes resource: apiVersion is missing", e.get("message").asText());
        e = refused(good().file("003-list-x.yaml", "- apiVersion: v1\n  kind: ConfigMap\n").bytes(), 400, "MANIFEST_INVALID");
        assertEquals("003-list-x.yaml: not a Kubernetes resource: the document is a array, not a mapping", e.get("message").asText());
        e = refused(good().file("003-x-y.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n").bytes(), 400, "MANIFEST_INVALID");
        assertEquals("003-x-y.yaml: not a Kubernetes resource: metadata.name is missing", e.get("message").asText());
    }

    @Test
    void publish_notAnArchiveOrBadMetadata_refused() {
        JsonNode e = refused("{\"just\":\"json\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 400, "BLOB_UPLOAD_INVALID");
        assertTrue(e.get("message").asText().startsWith("not a valid gzip-compressed tar"), e.toString());
        Http.Resp r = PublishFixtures.publish(http, PublishFixtures.publishPath(REPO, Map.of("as", "helm-chart", "version", "1.0",
                        "sourceDigest", PublishFixtures.SOURCE.toString())),
                good().bytes(), null);
        r.assertError(400, "UNSUPPORTED");
        assertTrue(r.json().at("/errors/0/message").asText().contains("not a SemVer 2.0 version"), r.text());
        r = PublishFixtures.publish(http, PublishFixtures.publishPath(REPO, Map.of("as", "kustomize", "version", "1.0.0",
                "sourceDigest", PublishFixtures.SOURCE.toString())), good().bytes(), null);
        r.assertError(400, "UNSUPPORTED");
        assertEquals("unknown shape 'kustomize'; use one of helm-chart, oci-bundle", r.json().at("/errors/0/message").asText());
        r = PublishFixtures.publish(http, PublishFixtures.publishPath(REPO, Map.of("as", "helm-chart", "version", "1.0.0")), good().bytes(), null);
        r.assertError(400, "UNSUPPORTED");
        assertEquals("the source package digest (sourceDigest) is missing", r.json().at("/errors/0/message").asText());
        assertNothingStored();
    }

    @Test
    void publish_literalNoValueInHelmChart_refusedAsUnreproducible() {
        String cm = PublishFixtures.CONFIGMAP.replace("{{ .Values.x }}", "<no value>");
        JsonNode e = refused(PublishFixtures.tgz().file("000-configmap-hello.yaml", cm).bytes(), 400, "MANIFEST_INVALID");
        assertTrue(e.get("message").asText().contains("'<no value>', which Helm deletes"), e.toString());
        assertEquals("unreproducible", e.at("/detail/reason").asText());
    }
}
