package dev.akua.registry.helm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import dev.akua.registry.helm.chart.ChartReader;

class HelmOciLayoutTest {
    private final ChartReader reader = new ChartReader(ChartReader.Limits.helm());
    private final HelmOciLayout layout = new HelmOciLayout();

    private ChartReader.Chart read(byte[] archive) throws Exception {
        return reader.read(new ByteArrayInputStream(archive));
    }

    @Test
    void image_sameArchive_sameBytesAndDigests() throws Exception {
        byte[] archive = Charts.chart("demo", "1.0.0", "description: d\n");

        HelmOciLayout.ChartImage a = layout.image(read(archive));
        HelmOciLayout.ChartImage b = new HelmOciLayout().image(read(archive));

        assertArrayEquals(a.manifest(), b.manifest());
        assertEquals(a.manifestDigest(), b.manifestDigest());
        assertEquals("sha256:" + read(archive).sha256Hex(), a.layerDigest().toString());
        assertNotEquals(a.manifestDigest(), layout.image(read(Charts.chart("demo", "1.0.1", "description: d\n"))).manifestDigest());
    }

    @Test
    void config_chartMetadata_marshalledAsGoEncodingJsonDoes() throws Exception {
        byte[] archive = Charts.chart("demo", "1.0.0", """
                description: "a <b> & c"
                home: https://example.com
                appVersion: "2.1"
                keywords: [web, demo]
                maintainers:
                  - name: Ada
                    email: ada@example.com
                annotations:
                  z: last
                  a: first
                dependencies:
                  - name: db
                    version: ^1
                    repository: https://charts.example.com
                """);

        String config = new String(layout.config(read(archive).metadata()), StandardCharsets.UTF_8);

        // chart.Metadata field order, omitempty, sorted map keys, HTML-safe escapes in lower-case hex.
        assertEquals("{\"name\":\"demo\",\"home\":\"https://example.com\",\"version\":\"1.0.0\","
                + "\"description\":\"a \\u003cb\\u003e \\u0026 c\",\"keywords\":[\"web\",\"demo\"],"
                + "\"maintainers\":[{\"name\":\"Ada\",\"email\":\"ada@example.com\"}],\"apiVersion\":\"v2\","
                + "\"appVersion\":\"2.1\",\"annotations\":{\"a\":\"first\",\"z\":\"last\"},"
                + "\"dependencies\":[{\"name\":\"db\",\"version\":\"^1\",\"repository\":\"https://charts.example.com\"}]}", config);
    }

    @Test
    void manifest_annotations_asHelmPushSetsThem() throws Exception {
        byte[] archive = Charts.chart("demo", "1.0.0", "description: d\nhome: https://h\nsources: [https://s1, https://s2]\n"
                + "maintainers:\n  - name: Ada\n    email: a@x\n  - name: Bob\nannotations:\n  org.opencontainers.image.title: spoofed\n  team: blue\n");

        JsonNode manifest = JsonMapper.builder().build().readTree(layout.image(read(archive)).manifest());

        JsonNode a = manifest.get("annotations");
        assertEquals("d", a.get("org.opencontainers.image.description").asText());
        assertEquals("demo", a.get("org.opencontainers.image.title").asText(), "chart annotations do not override the title");
        assertEquals("1.0.0", a.get("org.opencontainers.image.version").asText());
        assertEquals("https://h", a.get("org.opencontainers.image.url").asText());
        assertEquals("https://s1", a.get("org.opencontainers.image.source").asText());
        assertEquals("Ada (a@x), Bob", a.get("org.opencontainers.image.authors").asText());
        assertEquals("2023-11-14T22:13:20Z", a.get("org.opencontainers.image.created").asText(), "Chart.yaml's time in the archive");
        assertEquals("blue", a.get("team").asText());
        assertEquals("application/vnd.cncf.helm.chart.content.v1.tar+gzip", manifest.get("layers").get(0).get("mediaType").asText());
        assertEquals("application/vnd.cncf.helm.config.v1+json", manifest.get("config").get("mediaType").asText());
    }
}
