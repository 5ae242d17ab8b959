package dev.akua.registry.oci.manifest;

import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestParserTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private final ManifestParser parser = new ManifestParser();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parse_akuaPackageManifest_readsConfigAndLayer() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.akua.package.config.v1+json\",\"size\":23,\"digest\":\"" + D1 + "\"},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.akua.package.content.v1.tar+gzip\",\"size\":32,\"digest\":\"" + D2 + "\"}]}";
        ManifestContent m = parser.parse(bytes(json), MediaTypes.OCI_MANIFEST);
        assertEquals(ManifestKind.IMAGE, m.kind());
        assertEquals(2, m.requiredBlobs().size());
        assertEquals(MediaTypes.AKUA_PACKAGE_CONFIG, m.referrerArtifactType());
        assertNull(m.subject());
    }

    @Test
    void parse_indexWithSubjectAndArtifactType() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"artifactType\":\"x/y\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":10,\"digest\":\"" + D1 + "\","
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}],"
                + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":5,\"digest\":\"" + D2 + "\"},"
                + "\"annotations\":{\"k\":\"v\"}}";
        ManifestContent m = parser.parse(bytes(json), null);
        assertEquals(ManifestKind.INDEX, m.kind());
        assertEquals(1, m.manifests().size());
        assertEquals(D2, m.subject().digest().toString());
        assertEquals("x/y", m.referrerArtifactType());
        assertEquals("v", m.annotations().get("k"));
    }

    @Test
    void parse_noMediaTypeField_usesContentType() {
        String json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" + D1 + "\"},\"layers\":[]}";
        assertEquals(MediaTypes.DOCKER_MANIFEST, parser.parse(bytes(json), MediaTypes.DOCKER_MANIFEST).mediaType());
        assertEquals(MediaTypes.OCI_MANIFEST, parser.parse(bytes(json), "application/json; charset=utf-8").mediaType());
    }

    @Test
    void parse_nonDistributableLayer_notRequired() {
        String json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" + D1 + "\"},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_FOREIGN_LAYER + "\",\"size\":1,\"digest\":\"" + D2 + "\",\"urls\":[\"https://x\"]}]}";
        ManifestContent m = parser.parse(bytes(json), MediaTypes.DOCKER_MANIFEST);
        assertEquals(1, m.requiredBlobs().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                  | {",
            "array                     | []",
            "schema 1                  | {\"schemaVersion\":1,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}",
            "schemaVersion 3           | {\"schemaVersion\":3,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"" + "sha256:1111111111111111111111111111111111111111111111111111111111111111" + "\"},\"layers\":[]}",
            "missing config            | {\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
            "missing layers            | {\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\"}}",
            "bad descriptor digest     | {\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:xyz\"},\"layers\":[]}",
            "negative size             | {\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":-1,\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\"},\"layers\":[]}",
            "duplicate key             | {\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}",
            "annotation not string     | {\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"a\":1}}",
            "unknown media type        | {\"schemaVersion\":2,\"mediaType\":\"application/x-unknown\",\"manifests\":[]}",
            "index without manifests   | {\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}",
    })
    void parse_invalid_isManifestInvalid(String name, String json) {
        OciException e = assertThrows(OciException.class, () -> parser.parse(bytes(json), null));
        assertEquals(ErrorCode.MANIFEST_INVALID, e.code(), name);
    }

    @Test
    void parse_mediaTypeFieldDisagreesWithContentType_isManifestInvalid() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}";
        OciException e = assertThrows(OciException.class, () -> parser.parse(bytes(json), MediaTypes.OCI_MANIFEST));
        assertTrue(e.getMessage().contains("does not match"));
    }

    @Test
    void parse_deepNesting_isRefused() {
        String deep = "{\"schemaVersion\":2,\"manifests\":[],\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertEquals(ErrorCode.MANIFEST_INVALID,
                assertThrows(OciException.class, () -> parser.parse(bytes(deep), null)).code());
    }
}
