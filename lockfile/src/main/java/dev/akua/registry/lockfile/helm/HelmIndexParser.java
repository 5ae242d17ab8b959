package dev.akua.registry.lockfile.helm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.akua.registry.helm.chart.BoundedYaml;
import dev.akua.registry.helm.chart.IndexReader;

/**
 * Streams index.yaml into a {@link HelmIndex} with the shared {@link IndexReader} (module
 * {@code helm-chart}, also used by the Helm-repository proxy): only one chart version is held as a
 * tree at a time, bounded by {@link BoundedYaml} and by a count of versions.
 */
final class HelmIndexParser {
    static final int MAX_URLS = 16;

    private final IndexReader reader;

    HelmIndexParser(BoundedYaml yaml, int maxVersions) {
        this.reader = new IndexReader(yaml, maxVersions);
    }

    HelmIndex parse(InputStream body, URI indexUri) throws IOException {
        Map<String, List<HelmIndex.ChartVersion>> charts = new LinkedHashMap<>();
        reader.read(body, (chart, node) -> charts.computeIfAbsent(chart, k -> new ArrayList<>()).add(version(chart, node)));
        Map<String, List<HelmIndex.ChartVersion>> frozen = new LinkedHashMap<>();
        charts.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new HelmIndex(indexUri, frozen);
    }

    private static HelmIndex.ChartVersion version(String chart, JsonNode node) throws IOException {
        List<String> urls = new ArrayList<>();
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && urlsNode.isArray()) {
            for (JsonNode url : urlsNode) {
                if (url.isTextual() && urls.size() < MAX_URLS) {
                    urls.add(url.textValue());
                }
            }
        }
        return new HelmIndex.ChartVersion(chart, IndexReader.version(chart, node), urls,
                IndexReader.digestHex(chart, node).orElse(null));
    }
}
