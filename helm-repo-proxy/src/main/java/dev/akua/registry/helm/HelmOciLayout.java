package dev.akua.registry.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;

import dev.akua.registry.helm.chart.ChartMetadata;
import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;

/**
 * The OCI form of a chart archive, byte for byte what {@code helm push} (Helm 3.21, oras-go) would
 * upload for it, computed only from the archive so the same archive always gives the same manifest
 * digest:
 * <ul>
 *   <li>config: Helm's {@code chart.Metadata} marshalled by Go's {@code encoding/json} (struct field
 *       order, {@code omitempty}, map keys sorted, {@code <>&} and U+2028/2029 escaped), media type
 *       {@value MediaTypes#HELM_CONFIG};</li>
 *   <li>one layer: the exact archive, media type {@value MediaTypes#HELM_CHART_CONTENT}, so its digest
 *       is the sha256 of the {@code .tgz} (what index.yaml and akua.lock pin);</li>
 *   <li>annotations as Helm's {@code generateOCIAnnotations} sets them (description, title, version,
 *       url, created, source, authors, then Chart.yaml annotations that do not override title or
 *       version). {@code created} is the Chart.yaml entry's modification time inside the archive
 *       (where {@code helm push} uses the clock), which keeps the manifest deterministic.</li>
 * </ul>
 */
final class HelmOciLayout {
    static final String CREATED = "org.opencontainers.image.created";

    /** The config blob, the layer descriptor, and the manifest that ties them. */
    record ChartImage(byte[] config, Digest configDigest, Digest layerDigest, long layerSize, byte[] manifest, Digest manifestDigest) {
    }

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private final JsonFactory json;

    HelmOciLayout() {
        // Go writes \u003c, lower-case hex
        this.json = JsonFactory.builder().disable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_HEX_UPPER_CASE).build();
        this.json.setCharacterEscapes(new GoEscapes());
    }

    ChartImage image(ChartReader.Chart chart) {
        byte[] config = config(chart.metadata());
        Digest configDigest = Digest.sha256(config);
        Digest layer = Digest.parse("sha256:" + chart.sha256Hex());
        byte[] manifest = manifest(configDigest, config.length, layer, chart.size(), annotations(chart));
        return new ChartImage(config, configDigest, layer, chart.size(), manifest, Digest.sha256(manifest));
    }

    /** Helm's config blob for a Chart.yaml. */
    byte[] config(ChartMetadata metadata) {
        JsonNode y = metadata.yaml();
        return write(g -> {
            g.writeStartObject();
            string(g, "name", y.get("name"));
            string(g, "home", y.get("home"));
            strings(g, "sources", y.get("sources"));
            string(g, "version", y.get("version"));
            string(g, "description", y.get("description"));
            strings(g, "keywords", y.get("keywords"));
            JsonNode maintainers = y.get("maintainers");
            if (maintainers != null && maintainers.isArray() && !maintainers.isEmpty()) {
                g.writeArrayFieldStart("maintainers");
                for (JsonNode m : maintainers) {
                    g.writeStartObject();
                    string(g, "name", m.get("name"));
                    string(g, "email", m.get("email"));
                    string(g, "url", m.get("url"));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            string(g, "icon", y.get("icon"));
            string(g, "apiVersion", y.get("apiVersion"));
            string(g, "condition", y.get("condition"));
            string(g, "tags", y.get("tags"));
            string(g, "appVersion", y.get("appVersion"));
            JsonNode deprecated = y.get("deprecated");
            if (deprecated != null && deprecated.asBoolean(false)) {
                g.writeBooleanField("deprecated", true);
            }
            Map<String, String> annotations = stringMap(y.get("annotations"));
            if (!annotations.isEmpty()) {
                g.writeObjectFieldStart("annotations");
                for (Map.Entry<String, String> e : annotations.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            string(g, "kubeVersion", y.get("kubeVersion"));
            JsonNode deps = y.get("dependencies");
            if (deps != null && deps.isArray() && !deps.isEmpty()) {
                g.writeArrayFieldStart("dependencies");
                for (JsonNode d : deps) {
                    g.writeStartObject();
                    g.writeStringField("name", text(d.get("name")));
                    string(g, "version", d.get("version"));
                    g.writeStringField("repository", text(d.get("repository")));
                    string(g, "condition", d.get("condition"));
                    strings(g, "tags", d.get("tags"));
                    if (d.path("enabled").asBoolean(false)) {
                        g.writeBooleanField("enabled", true);
                    }
                    JsonNode importValues = d.get("import-values");
                    if (importValues != null && importValues.isArray() && !importValues.isEmpty()) {
                        g.writeFieldName("import-values");
                        writeSorted(g, importValues);
                    }
                    string(g, "alias", d.get("alias"));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            string(g, "type", y.get("type"));
            g.writeEndObject();
        });
    }

    private Map<String, String> annotations(ChartReader.Chart chart) {
        JsonNode y = chart.metadata().yaml();
        Map<String, String> out = new TreeMap<>();
        put(out, "org.opencontainers.image.description", text(y.get("description")));
        put(out, "org.opencontainers.image.title", text(y.get("name")));
        put(out, "org.opencontainers.image.version", text(y.get("version")));
        put(out, "org.opencontainers.image.url", text(y.get("home")));
        put(out, CREATED, RFC3339.format(chart.chartYamlModified().isBefore(Instant.EPOCH) ? Instant.EPOCH : chart.chartYamlModified()));
        JsonNode sources = y.get("sources");
        if (sources != null && sources.isArray() && !sources.isEmpty()) {
            put(out, "org.opencontainers.image.source", text(sources.get(0)));
        }
        JsonNode maintainers = y.get("maintainers");
        if (maintainers != null && maintainers.isArray() && !maintainers.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode m : maintainers) {
                StringBuilder b = new StringBuilder(text(m.get("name")));
                String email = text(m.get("email"));
                if (!email.isEmpty()) {
                    b.append(" (").append(email).append(')');
                }
                parts.add(b.toString());
            }
            put(out, "org.opencontainers.image.authors", String.join(", ", parts));
        }
        stringMap(y.get("annotations")).forEach((k, v) -> {
            if (!k.equals("org.opencontainers.image.version") && !k.equals("org.opencontainers.image.title")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private byte[] manifest(Digest config, long configSize, Digest layer, long layerSize, Map<String, String> annotations) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.OCI_MANIFEST);
            g.writeObjectFieldStart("config");
            g.writeStringField("mediaType", MediaTypes.HELM_CONFIG);
            g.writeStringField("digest", config.toString());
            g.writeNumberField("size", configSize);
            g.writeEndObject();
            g.writeArrayFieldStart("layers");
            g.writeStartObject();
            g.writeStringField("mediaType", MediaTypes.HELM_CHART_CONTENT);
            g.writeStringField("digest", layer.toString());
            g.writeNumberField("size", layerSize);
            g.writeEndObject();
            g.writeEndArray();
            if (!annotations.isEmpty()) {
                g.writeObjectFieldStart("annotations");
                for (Map.Entry<String, String> e : annotations.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? "" : node.asText();
    }

    private static void string(JsonGenerator g, String field, JsonNode node) throws IOException {
        String value = text(node);
        if (!value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }

    private static void strings(JsonGenerator g, String field, JsonNode node) throws IOException {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (JsonNode n : node) {
            g.writeString(text(n));
        }
        g.writeEndArray();
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), text(e.getValue()));
            }
        }
        return out;
    }

    /** Go marshals maps with sorted keys; arbitrary values (import-values) are written that way. */
    private static void writeSorted(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                g.writeFieldName(e.getKey());
                writeSorted(g, e.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode n : node) {
                writeSorted(g, n);
            }
            g.writeEndArray();
        } else if (node.isNumber()) {
            g.writeNumber(node.decimalValue());
        } else if (node.isBoolean()) {
            g.writeBoolean(node.booleanValue());
        } else if (node.isNull()) {
            g.writeNull();
        } else {
            g.writeString(node.asText());
        }
    }

    /** {@code encoding/json}'s HTML-safe escaping: {@code < > &} and U+2028/U+2029 as {@code \\uXXXX}. */
    private static final class GoEscapes extends CharacterEscapes {
        private final int[] table;

        GoEscapes() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return new SerializedString("\\u2028");
            }
            if (ch == 0x2029) {
                return new SerializedString("\\u2029");
            }
            return null;
        }
    }
}
