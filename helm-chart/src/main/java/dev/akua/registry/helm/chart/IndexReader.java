package dev.akua.registry.helm.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Streams a Helm repository's {@code index.yaml} (Helm's {@code repo.IndexFile}: {@code apiVersion},
 * {@code entries: {<chart>: [<chart version>…]}}, {@code generated}, …) to a {@link Visitor} without
 * building a tree of the whole document: one chart version is held as a tree at a time. Bounded by
 * {@link BoundedYaml} (size, depth, duplicate keys, aliases refused) and by a count of chart versions.
 * The bytes must be UTF-8; anything else is refused rather than guessed.
 */
public final class IndexReader {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Receives the parts of an index in document order. */
    public interface Visitor {
        /** A top-level field other than {@code entries} ({@code apiVersion}, {@code generated}, …). */
        default void field(String name, JsonNode value) throws IOException {
        }

        /** One element of {@code entries.<chart>}; it has a non-empty scalar {@code version}. */
        void version(String chart, JsonNode version) throws IOException;
    }

    private final BoundedYaml yaml;
    private final int maxVersions;

    /**
     * @param yaml        the bounded YAML reader (its code-point limit bounds the document)
     * @param maxVersions most chart versions accepted over all charts
     */
    public IndexReader(BoundedYaml yaml, int maxVersions) {
        this.yaml = yaml;
        this.maxVersions = maxVersions;
    }

    public void read(InputStream body, Visitor visitor) throws IOException {
        Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        int total = 0;
        try (JsonParser p = yaml.parser(reader)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("index.yaml is not a mapping");
            }
            boolean sawEntries = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("entries")) {
                    visitor.field(field, yaml.readTree(p));
                    continue;
                }
                sawEntries = true;
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    throw new IOException("index.yaml `entries` is not a mapping");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String chart = p.currentName();
                    JsonToken list = p.nextToken();
                    if (list == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (list != JsonToken.START_ARRAY) {
                        throw new IOException("index.yaml entries." + chart + " is not a list");
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        if (++total > maxVersions) {
                            throw new IOException("index.yaml lists more than " + maxVersions + " chart versions");
                        }
                        JsonNode node = yaml.readTree(p);
                        version(chart, node);
                        visitor.version(chart, node);
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        throw new IOException("index.yaml entries." + chart + " holds something other than chart versions");
                    }
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("index.yaml holds more than one YAML document");
            }
            if (!sawEntries) {
                throw new IOException("index.yaml has no `entries`");
            }
        }
    }

    /** The {@code version} of a chart-version node; fails when it is missing, empty or not a scalar. */
    public static String version(String chart, JsonNode node) throws IOException {
        JsonNode version = node.get("version");
        if (version == null || !version.isValueNode() || version.isNull() || version.asText().isEmpty()) {
            throw new IOException("index.yaml entries." + chart + " has a version without `version`");
        }
        return version.asText();
    }

    /**
     * The hex sha256 a chart-version node publishes for its archive ({@code digest}, with or without
     * a {@code sha256:} prefix, as Helm's {@code repo index} writes it bare); empty when there is none.
     *
     * @throws IOException when the field is present but not a sha256
     */
    public static Optional<String> digestHex(String chart, JsonNode node) throws IOException {
        JsonNode digestNode = node.get("digest");
        if (digestNode == null || digestNode.isNull()) {
            return Optional.empty();
        }
        if (!digestNode.isTextual()) {
            throw new IOException("index.yaml entries." + chart + " " + node.path("version").asText()
                    + " has a digest that is not a string");
        }
        if (digestNode.textValue().isBlank()) {
            return Optional.empty();
        }
        String digest = digestNode.textValue().trim().toLowerCase(Locale.ROOT);
        if (digest.startsWith("sha256:")) {
            digest = digest.substring("sha256:".length());
        }
        if (!SHA256_HEX.matcher(digest).matches()) {
            throw new IOException("index.yaml entries." + chart + " " + node.path("version").asText() + " has a malformed digest");
        }
        return Optional.of(digest);
    }
}
