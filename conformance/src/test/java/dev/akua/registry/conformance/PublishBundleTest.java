package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code publish --as oci-bundle} with a generic OCI client: Debian's skopeo copies the bundle out
 * of the registry into an OCI image layout, and the layers, looked up by their
 * {@code org.opencontainers.image.title}, are exactly the input files.
 */
class PublishBundleTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir
    Path work;

    @Test
    void skopeoCopyToOciLayout_publishedBundle_exactFilesByTitle() throws Exception {
        Map<String, String> files = PublishFixtures.render();
        try (TestRegistry registry = TestRegistry.start(work.resolve("registry"))) {
            Http http = new Http(registry.base());
            Http.Resp r = PublishFixtures.publish(http, PublishFixtures.publishPath("acme/bundles/hello", "oci-bundle", "1.2.3"),
                    PublishFixtures.tgz().files(files).bytes(), null);
            assertEquals(201, r.status(), r.text());
            assertEquals("application/vnd.akua.bundle.v1", r.json().get("artifactType").asText());
            String digest = r.json().get("digest").asText();

            Path layout = work.resolve("layout");
            Tools.ok(work, "skopeo", "copy", "--preserve-digests", "--src-tls-verify=false",
                    "docker://" + registry.hostPort() + "/acme/bundles/hello:1.2.3", "oci:" + layout + ":1.2.3");

            JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
            assertEquals(digest, index.at("/manifests/0/digest").asText(), "skopeo kept the manifest digest");
            JsonNode manifest = JSON.readTree(blob(layout, digest));
            assertEquals("application/vnd.akua.bundle.v1", manifest.get("artifactType").asText());
            Map<String, String> byTitle = new LinkedHashMap<>();
            for (JsonNode layer : manifest.get("layers")) {
                byte[] bytes = blob(layout, layer.get("digest").asText());
                assertEquals(layer.get("digest").asText(), Digest.sha256(bytes).toString());
                byTitle.put(layer.at("/annotations/org.opencontainers.image.title").asText(), new String(bytes, StandardCharsets.UTF_8));
            }
            assertEquals(files, byTitle, "every file back, byte for byte, under its own name and in render order");
            assertEquals(java.util.List.copyOf(files.keySet()), java.util.List.copyOf(byTitle.keySet()));

            JsonNode config = JSON.readTree(blob(layout, manifest.at("/config/digest").asText()));
            assertEquals("application/vnd.akua.bundle.config.v1+json", manifest.at("/config/mediaType").asText());
            assertEquals("hello", config.get("name").asText());
            assertEquals("1.2.3", config.get("version").asText());
            assertEquals(PublishFixtures.SOURCE.toString(), config.at("/source/digest").asText());
            assertEquals(PublishFixtures.SOURCE_REF, config.at("/source/reference").asText());
            assertEquals("Deployment", config.at("/files/2/kind").asText());
            assertTrue(manifest.at("/annotations/dev.akua.rendered.digest").asText().startsWith("sha256:"));
        }
    }

    private static byte[] blob(Path layout, String digest) throws Exception {
        Digest d = Digest.parse(digest);
        return Files.readAllBytes(layout.resolve("blobs").resolve(d.algorithm().id()).resolve(d.hex()));
    }
}
