package dev.akua.registry.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import dev.akua.registry.helm.chart.IndexReader;

/**
 * A Helm repository index ({@code repo.IndexFile}) as this registry serves it: chart name → chart
 * versions in the upstream's order, each version's fields kept as they were (so {@code helm search}
 * shows the same descriptions, app versions, keywords…) and only {@code urls} rewritten when it is
 * written out. Immutable once built.
 */
final class IndexModel {
    /**
     * One chart version.
     *
     * @param chart     chart name (the {@code entries} key)
     * @param version   chart version as written
     * @param node      every field of the entry as read
     * @param urls      the entry's download URLs as written (absolute, or relative to the repository)
     * @param digestHex the sha256 the index publishes for the archive, or null
     */
    record Entry(String chart, String version, ObjectNode node, List<String> urls, String digestHex) {
        Entry {
            Objects.requireNonNull(chart, "chart");
            Objects.requireNonNull(version, "version");
            urls = List.copyOf(urls);
        }
    }

    private static final int MAX_URLS = 16;
    private final Map<String, List<Entry>> charts;
    private final String generated;
    private final int size;

    IndexModel(Map<String, List<Entry>> charts, String generated) {
        Map<String, List<Entry>> copy = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, List<Entry>> e : charts.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
            n += e.getValue().size();
        }
        this.charts = Collections.unmodifiableMap(copy);
        this.generated = generated;
        this.size = n;
    }

    /** Reads an upstream index (bounded by the reader); entries with a malformed digest are refused as a whole. */
    static IndexModel read(InputStream body, IndexReader reader) throws IOException {
        Map<String, List<Entry>> charts = new LinkedHashMap<>();
        String[] generated = {null};
        reader.read(body, new IndexReader.Visitor() {
            @Override
            public void field(String name, JsonNode value) {
                if (name.equals("generated") && value.isValueNode()) {
                    generated[0] = value.asText();
                }
            }

            @Override
            public void version(String chart, JsonNode node) throws IOException {
                List<String> urls = new ArrayList<>();
                JsonNode urlsNode = node.get("urls");
                if (urlsNode != null && urlsNode.isArray()) {
                    for (JsonNode url : urlsNode) {
                        if (url.isTextual() && urls.size() < MAX_URLS) {
                            urls.add(url.textValue());
                        }
                    }
                }
                charts.computeIfAbsent(chart, k -> new ArrayList<>()).add(new Entry(chart, IndexReader.version(chart, node),
                        (ObjectNode) node, urls, IndexReader.digestHex(chart, node).orElse(null)));
            }
        });
        return new IndexModel(charts, generated[0]);
    }

    Map<String, List<Entry>> charts() {
        return charts;
    }

    int size() {
        return size;
    }

    List<Entry> versions(String chart) {
        return charts.getOrDefault(chart, List.of());
    }

    Optional<Entry> find(String chart, String version) {
        for (Entry e : versions(chart)) {
            if (e.version().equals(version)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The version an OCI tag names ({@code +} written as {@code _}). */
    Optional<Entry> findByTag(String chart, String tag) {
        for (Entry e : versions(chart)) {
            if (ChartNames.tagOf(e.version()).equals(tag)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    Optional<ChartNames.ChartVersionRef> parseFileName(String file) {
        return ChartNames.parseFileName(file, (chart, version) -> find(chart, version).isPresent());
    }

    /**
     * Writes the index as YAML with each version's {@code urls} replaced by the one URL {@code url}
     * gives it. Strings are always quoted, so versions such as {@code 1.10} stay strings.
     */
    byte[] render(ObjectMapper yaml, Function<Entry, String> url) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, size * 512));
        try (JsonGenerator g = yaml.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("apiVersion", "v1");
            g.writeObjectFieldStart("entries");
            for (Map.Entry<String, List<Entry>> chart : charts.entrySet()) {
                g.writeArrayFieldStart(chart.getKey());
                for (Entry e : chart.getValue()) {
                    ObjectNode node = e.node().deepCopy();
                    ArrayNode urls = node.putArray("urls");
                    urls.add(url.apply(e));
                    yaml.writeTree(g, node);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            if (generated != null) {
                g.writeStringField("generated", generated);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The YAML writer {@link #render} expects: no document marker, no line splitting. */
    static ObjectMapper yamlWriter() {
        return new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build());
    }
}
