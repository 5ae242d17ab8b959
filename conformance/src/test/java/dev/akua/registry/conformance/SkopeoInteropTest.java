package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interop with a real client: Debian's skopeo copies an OCI layout (two images, a multi-arch
 * index, an artifact with a subject) into the registry and back out, and every digest survives.
 */
class SkopeoInteropTest {
    @TempDir
    Path work;

    @Test
    void skopeo_roundTripsLayout_withIdenticalDigests() throws Exception {
        Path source = work.resolve("source");
        OciLayout layout = new OciLayout(source);
        byte[] img1 = layout.image("amd64", "one");
        byte[] img2 = layout.image("amd64", "two");
        byte[] arm = layout.image("arm64", "three");
        byte[] index = layout.index(img2, arm);
        byte[] sbom = layout.referrer(img1, "application/vnd.example.sbom.v1", "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> refs = new LinkedHashMap<>();
        refs.put("img1", img1);
        refs.put("img2", img2);
        refs.put("multi", index);
        refs.put("sbom", sbom);
        layout.ref("img1", MediaTypes.OCI_MANIFEST, img1);
        layout.ref("img2", MediaTypes.OCI_MANIFEST, img2);
        layout.ref("multi", MediaTypes.OCI_INDEX, index);
        layout.ref("sbom", MediaTypes.OCI_MANIFEST, sbom);
        layout.write();

        try (TestRegistry registry = TestRegistry.start(work.resolve("registry"))) {
            Http http = new Http(registry.base());
            String repo = registry.hostPort() + "/interop/skopeo";
            for (String ref : refs.keySet()) {
                Tools.ok(work, "skopeo", "copy", "--all", "--preserve-digests", "--dest-tls-verify=false",
                        "oci:" + source + ":" + ref, "docker://" + repo + ":" + ref);
            }
            Path back = work.resolve("back");
            for (Map.Entry<String, byte[]> e : refs.entrySet()) {
                String ref = e.getKey();
                Digest expected = Digest.sha256(e.getValue());
                Http.Resp head = http.head("/v2/interop/skopeo/manifests/" + ref);
                assertEquals(expected.toString(), head.header("Docker-Content-Digest").orElseThrow(), ref);
                String raw = Tools.ok(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + repo + ":" + ref);
                assertArrayEquals(e.getValue(), raw.getBytes(StandardCharsets.UTF_8), ref + " raw manifest");
                Tools.ok(work, "skopeo", "copy", "--all", "--preserve-digests", "--src-tls-verify=false",
                        "docker://" + repo + ":" + ref, "oci:" + back + ":" + ref);
                assertEquals(expected, OciLayout.refDigest(back, ref), ref + " digest after the round trip");
            }
            // every blob that came back hashes to its name and matches the source
            try (var blobs = Files.list(back.resolve("blobs/sha256"))) {
                for (Path blob : blobs.toList()) {
                    byte[] bytes = Files.readAllBytes(blob);
                    assertEquals(blob.getFileName().toString(), Digest.sha256(bytes).hex());
                    assertArrayEquals(Files.readAllBytes(source.resolve("blobs/sha256").resolve(blob.getFileName())), bytes);
                }
            }
            String tags = Tools.ok(work, "skopeo", "list-tags", "--tls-verify=false", "docker://" + repo);
            for (String ref : refs.keySet()) {
                assertTrue(tags.contains("\"" + ref + "\""), tags);
            }
            // the artifact pushed by skopeo is indexed under its subject
            JsonNode referrers = http.get("/v2/interop/skopeo/referrers/" + Digest.sha256(img1)).json();
            assertEquals(1, referrers.get("manifests").size());
            assertEquals(Digest.sha256(sbom).toString(), referrers.get("manifests").get(0).get("digest").asText());
            assertEquals("application/vnd.example.sbom.v1", referrers.get("manifests").get(0).get("artifactType").asText());
        }
    }
}
