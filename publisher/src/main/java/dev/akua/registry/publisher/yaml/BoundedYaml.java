package dev.akua.registry.publisher.yaml;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

/**
 * YAML from clients, read with bounds: a code-point limit on the text, a nesting limit, a document
 * count limit, duplicate keys refused, and aliases refused outright (so no alias bomb can expand).
 * The parsing itself is the shared {@link dev.akua.registry.helm.chart.BoundedYaml} that also reads
 * Helm indexes and Chart.yaml; this adapter turns its failures into {@link YamlRefusal}s.
 */
public final class BoundedYaml {
    private final dev.akua.registry.helm.chart.BoundedYaml yaml;
    private final int maxDocuments;

    /**
     * @param maxCodePoints largest text accepted
     * @param maxDepth      deepest nesting of mappings and sequences accepted
     * @param maxDocuments  most documents in one stream
     */
    public BoundedYaml(int maxCodePoints, int maxDepth, int maxDocuments) {
        this.yaml = new dev.akua.registry.helm.chart.BoundedYaml(maxCodePoints, maxDepth);
        this.maxDocuments = maxDocuments;
    }

    /** Every non-empty document of {@code text}, in order. */
    public List<JsonNode> documents(String text) throws YamlRefusal {
        try {
            return yaml.documents(new StringReader(text), maxDocuments);
        } catch (dev.akua.registry.helm.chart.BoundedYaml.AliasRefused e) {
            throw new YamlRefusal(e.getMessage());
        } catch (IOException e) {
            String message = e.getMessage() == null ? "unreadable" : e.getMessage();
            throw new YamlRefusal(message.startsWith("more than ") ? message : "invalid YAML: " + firstLine(message));
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
