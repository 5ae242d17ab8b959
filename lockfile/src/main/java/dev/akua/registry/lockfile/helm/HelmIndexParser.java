package dev.akua.registry.lockfile.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Streams index.yaml into a {@link HelmIndex} without building a tree of the whole document: only
 * one chart version is held as a tree at a time. Bounded by {@link BoundedYaml} (size, depth,
 * duplicate keys, aliases) and by entry counts.
 */
final class HelmIndexParser {
    static final int MAX_URLS = 16;

    private final BoundedYaml yaml;
    private final int maxVersions;

    HelmIndexParser(BoundedYaml yaml, int maxVersions) {
        this.yaml = yaml;
        this.maxVersions = maxVersions;
    }

    HelmIndex parse(InputStream body, URI indexUri) throws IOException {
        Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        Map<String, List<HelmIndex.ChartVersion>> charts = new HashMap<>();
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
                    p.skipChildren();
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
                    List<HelmIndex.ChartVersion> versions = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        if (++total > maxVersions) {
                            throw new IOException("index.yaml lists more than " + maxVersions + " chart versions");
                        }
                        versions.add(version(chart, yaml.readTree(p)));
                    }
                    if (p.currentToken() != JsonToken.END_ARRAY) {
                        throw new IOException("index.yaml entries." + chart + " holds something other than chart versions");
                    }
                    charts.put(chart, List.copyOf(versions));
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("index.yaml holds more than one YAML document");
            }
            if (!sawEntries) {
                throw new IOException("index.yaml has no `entries`");
            }
        }
        return new HelmIndex(indexUri, charts);
    }

    private static HelmIndex.ChartVersion version(String chart, JsonNode node) throws IOException {
        JsonNode version = node.get("version");
        if (version == null || !version.isValueNode() || version.asText().isEmpty()) {
            throw new IOException("index.yaml entries." + chart + " has a version without `version`");
        }
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && urlsNode.isArray()) {
            for (JsonNode url : urlsNode) {
                if (url.isTextual() && urls.size() < MAX_URLS) {
                    urls.add(url.textValue());
                }
            }
        }
        String digest = null;
        JsonNode digestNode = node.get("digest");
        if (digestNode != null && !digestNode.isNull() && !digestNode.isTextual()) {
            throw new IOException("index.yaml entries." + chart + " " + version.asText() + " has a digest that is not a string");
        }
        if (digestNode != null && digestNode.isTextual() && !digestNode.textValue().isBlank()) {
            digest = digestNode.textValue().trim().toLowerCase(Locale.ROOT);
            if (digest.startsWith("sha256:")) {
                digest = digest.substring("sha256:".length());
            }
            if (!digest.matches("[0-9a-f]{64}")) {
                throw new IOException("index.yaml entries." + chart + " " + version.asText() + " has a malformed digest");
            }
        }
        return new HelmIndex.ChartVersion(chart, version.asText(), urls, digest);
    }
}
