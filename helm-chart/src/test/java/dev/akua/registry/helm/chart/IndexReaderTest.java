package dev.akua.registry.helm.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class IndexReaderTest {
    private final IndexReader reader = new IndexReader(new BoundedYaml(1 << 20, 64), 3);

    private List<String> read(String yaml) throws IOException {
        List<String> seen = new ArrayList<>();
        reader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), new IndexReader.Visitor() {
            @Override
            public void field(String name, JsonNode value) {
                seen.add(name + "=" + value.asText());
            }

            @Override
            public void version(String chart, JsonNode version) {
                seen.add(chart + "@" + version.get("version").asText());
            }
        });
        return seen;
    }

    @Test
    void read_index_visitsFieldsAndVersionsInOrder() throws Exception {
        assertEquals(List.of("apiVersion=v1", "a@1.0.0", "a@2.0.0", "b@0.1.0", "generated=2026"),
                read("apiVersion: v1\nentries:\n  a:\n    - version: 1.0.0\n    - version: 2.0.0\n  b:\n    - version: 0.1.0\ngenerated: \"2026\"\n"));
    }

    @Test
    void read_hostileIndexes_refused() {
        assertThrows(IOException.class, () -> read("entries:\n  a:\n    - version: 1\n    - version: 2\n    - version: 3\n    - version: 4\n"),
                "more versions than the cap");
        IOException alias = assertThrows(IOException.class, () -> read("entries:\n  a:\n    - &x {version: 1.0.0}\n    - *x\n"));
        assertTrue(alias.getMessage().contains("aliases"), alias.getMessage());
        assertThrows(IOException.class, () -> read("entries:\n  a: []\n  a: []\n"), "duplicate keys");
        assertThrows(IOException.class, () -> read("entries:\n  a:\n    - name: a\n"), "a version without version");
        assertThrows(IOException.class, () -> read("apiVersion: v1\n"), "no entries");
    }

    @Test
    void digestHex_forms_normalisedOrRefused() throws Exception {
        BoundedYaml yaml = new BoundedYaml(4096, 8);
        String hex = "ab".repeat(32);
        assertEquals(Optional.of(hex), IndexReader.digestHex("a", yaml.readTree(new java.io.StringReader("digest: sha256:" + hex.toUpperCase()))));
        assertEquals(Optional.empty(), IndexReader.digestHex("a", yaml.readTree(new java.io.StringReader("version: 1"))));
        assertThrows(IOException.class, () -> IndexReader.digestHex("a", yaml.readTree(new java.io.StringReader("digest: md5:abc"))));
    }
}
