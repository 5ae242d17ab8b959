package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * akua package repositories: a manifest with an {@code application/vnd.akua.package.content.v1.tar+gzip}
 * layer, pushed as akua 0.8.5 pushes it (wire contract §1.3, §2.1), is checked before it is
 * accepted; refusals say exactly what is wrong and store no manifest or tag; the metadata of an
 * accepted package is served by {@code GET /api/v1/repositories/<name>/packages/<tag>}.
 */
class PublishPackageValidationTest {
    static final String AKUA_TOML = """
            [package]
            name = "hello"
            version = "0.3.0"
            edition = "akua.dev/v1alpha1"

            [dependencies]
            webapp = { oci = "oci://ghcr.io/acme/charts/webapp", version = "1.2.3" }
            lib = { git = "https://github.com/acme/lib", tag = "v1.0.0" }
            """;
    @TempDir
    Path work;
    private PublishFixtures.Registry registry;
    private Http http;
    private Oci oci;

    @BeforeEach
    void start() {
        String sections = """
                publish.policies:
                  - repositories: ["akua/**"]
                    akuaPackages: true
                    packageNameMatchesRepository: true
                    packageVersionMatchesTag: true
                """;
        registry = PublishFixtures.start(work, Map.of("AKUA_REGISTRY_PUBLISH_PACKAGES_MAXUNPACKEDBYTES", String.valueOf(16 << 20)),
                sections, PublishFixtures.openGate(), Map.of());
        http = new Http(registry.base());
        oci = new Oci(http);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Pushes layer and config like akua, then PUTs the manifest in akua's exact compact form. */
    private Http.Resp pushPackage(String repo, String tag, byte[] layer) {
        byte[] config = "{\"akuaVersion\":\"0.8.5\"}".getBytes(StandardCharsets.UTF_8);
        oci.pushBlob(repo, layer);
        oci.pushBlob(repo, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + "{\"mediaType\":\"application/vnd.akua.package.config.v1+json\",\"size\":" + config.length + ",\"digest\":\""
                + Digest.sha256(config) + "\"},\"layers\":[{\"mediaType\":\"" + MediaTypes.AKUA_PACKAGE_CONTENT + "\",\"size\":"
                + layer.length + ",\"digest\":\"" + Digest.sha256(layer) + "\"}]}";
        return oci.putManifest(repo, tag, manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    }

    private static PublishFixtures.Tgz pkg(String toml) {
        return PublishFixtures.tgz().file("akua.toml", toml).file("package.k", "resources = []\n")
                .file(".akua/vendor/webapp/Chart.yaml", "apiVersion: v2\nname: webapp\nversion: 1.2.3\n");
    }

    private String refused(String repo, String tag, byte[] layer, int status) {
        Http.Resp r = pushPackage(repo, tag, layer);
        r.assertError(status, "MANIFEST_INVALID");
        http.get("/v2/" + repo + "/manifests/" + tag).assertError(404, "MANIFEST_UNKNOWN");
        assertEquals(Digest.sha256(layer).toString(), r.json().at("/errors/0/detail/layer").asText());
        return r.json().at("/errors/0/message").asText();
    }

    @Test
    void push_validPackage_acceptedAndMetadataServed() {
        byte[] layer = pkg(AKUA_TOML).bytes();
        Http.Resp r = pushPackage("akua/hello", "0.3.0", layer);
        assertEquals(201, r.status(), r.text());

        Http.Resp meta = http.get("/api/v1/repositories/akua/hello/packages/0.3.0");
        assertEquals(200, meta.status(), meta.text());
        JsonNode json = meta.json();
        assertEquals(r.header("Docker-Content-Digest").orElseThrow(), json.get("digest").asText());
        assertEquals(Digest.sha256(layer).toString(), json.get("layerDigest").asText());
        assertEquals("hello", json.at("/package/name").asText());
        assertEquals("0.3.0", json.at("/package/version").asText());
        assertEquals("akua.dev/v1alpha1", json.at("/package/edition").asText());
        assertEquals("lib", json.at("/package/dependencies/0/name").asText());
        assertEquals("git", json.at("/package/dependencies/0/kind").asText());
        assertEquals("oci://ghcr.io/acme/charts/webapp", json.at("/package/dependencies/1/source").asText());
        assertEquals("1.2.3", json.at("/package/dependencies/1/version").asText());
        assertEquals(200, http.head("/api/v1/repositories/akua/hello/packages/0.3.0").status());
    }

    @Test
    void push_hostilePackages_refusedSayingWhatIsWrong() {
        assertEquals("akua package rejected: entry '../../home/user/.bashrc' refers to a parent directory ('..')",
                refused("akua/hello", "0.3.0", pkg(AKUA_TOML).file("../../home/user/.bashrc", "x").bytes(), 400));
        assertEquals("akua package rejected: entry 'cosign.key' is a symbolic link; only regular files and directories are accepted",
                refused("akua/hello", "0.3.0", pkg(AKUA_TOML).special("cosign.key", TarConstants.LF_SYMLINK, "/etc/shadow").bytes(), 400));
        assertTrue(refused("akua/hello", "0.3.0", pkg(AKUA_TOML).special("disk", TarConstants.LF_BLK, null).bytes(), 400)
                .contains("'disk' is a device"));
        assertEquals("akua package rejected: the archive expands to more than 16777216 bytes",
                refused("akua/hello", "0.3.0", PublishFixtures.longNameBomb(256L << 20), 413));
        assertEquals("akua package rejected: there is no akua.toml at the root of the package archive",
                refused("akua/hello", "0.3.0", PublishFixtures.tgz().file("hello/akua.toml", AKUA_TOML).bytes(), 400));
    }

    @Test
    void push_invalidOrInconsistentAkuaToml_refused() {
        assertEquals("akua package rejected: [package].edition must start with 'akua.dev/', not 'v1'",
                refused("akua/hello", "0.3.0", pkg(AKUA_TOML.replace("akua.dev/v1alpha1", "v1")).bytes(), 400));
        assertEquals("akua package rejected: akua.toml names the package 'hello' but it is pushed to repository akua/other, "
                + "whose last component is 'other'", refused("akua/other", "0.3.0", pkg(AKUA_TOML).bytes(), 400));
        assertEquals("akua package rejected: akua.toml says version '0.3.0' but it is pushed to tag '0.4.0'",
                refused("akua/hello", "0.4.0", pkg(AKUA_TOML).bytes(), 400));
        assertTrue(refused("akua/hello", "0.3.0", pkg("[package]\nname = \"hello\"\nversion = ").bytes(), 400)
                .startsWith("akua package rejected: akua.toml is not valid TOML"));
    }

    @Test
    void push_repositoryWithoutPolicy_notValidated_andMetadataDerivedOnRequest() {
        Http.Resp r = pushPackage("other/hello", "anything", pkg(AKUA_TOML.replace("0.3.0", "9.9.9")).bytes());
        assertEquals(201, r.status(), r.text());
        assertEquals("9.9.9", http.get("/api/v1/repositories/other/hello/packages/anything").json().at("/package/version").asText());

        Http.Resp broken = pushPackage("other/broken", "1", PublishFixtures.tgz().file("package.k", "x").bytes());
        assertEquals(201, broken.status());
        http.get("/api/v1/repositories/other/broken/packages/1").assertError(422, "MANIFEST_INVALID");
    }

    @Test
    void packages_notAPackageOrUnknown_404() {
        oci.pushImage("akua/image", "1.0.0", "img", "");
        Http.Resp r = http.get("/api/v1/repositories/akua/image/packages/1.0.0");
        r.assertError(404, "MANIFEST_UNKNOWN");
        assertTrue(r.json().at("/errors/0/message").asText().contains("is not an akua package"));
        http.get("/api/v1/repositories/akua/nothing/packages/1.0.0").assertError(404, "NAME_UNKNOWN");
    }
}
