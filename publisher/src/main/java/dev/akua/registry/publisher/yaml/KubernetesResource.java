package dev.akua.registry.publisher.yaml;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The identity of a Kubernetes-shaped document: {@code apiVersion} ({@code [group/]version}),
 * {@code kind}, {@code metadata.name}, optional {@code metadata.namespace}. {@link #of} is the shape
 * check every rendered manifest must pass (Kubernetes API conventions: group a DNS subdomain,
 * version a DNS label, kind an identifier, labels and annotations string maps).
 */
public record KubernetesResource(String apiVersion, String kind, String name, String namespace) {
    private static final Pattern API_VERSION = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern KIND = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");
    private static final int MAX_NAME = 253;

    /** Checks the shape; the message of a refusal names the field. */
    public static KubernetesResource of(JsonNode doc) throws YamlRefusal {
        if (!doc.isObject()) {
            throw new YamlRefusal("not a Kubernetes resource: the document is a " + doc.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not a mapping");
        }
        String apiVersion = text(doc, "apiVersion", "apiVersion");
        if (apiVersion.length() > 317 || !API_VERSION.matcher(apiVersion).matches()) {
            throw new YamlRefusal("not a Kubernetes resource: apiVersion '" + clip(apiVersion) + "' is not [group/]version");
        }
        String kind = text(doc, "kind", "kind");
        if (!KIND.matcher(kind).matches()) {
            throw new YamlRefusal("not a Kubernetes resource: kind '" + clip(kind) + "' is not an identifier");
        }
        JsonNode metadata = doc.get("metadata");
        if (metadata == null || !metadata.isObject()) {
            throw new YamlRefusal("not a Kubernetes resource: metadata is missing or not a mapping");
        }
        String name = text(metadata, "name", "metadata.name");
        if (name.length() > MAX_NAME) {
            throw new YamlRefusal("not a Kubernetes resource: metadata.name is longer than " + MAX_NAME + " characters");
        }
        String namespace = null;
        JsonNode ns = metadata.get("namespace");
        if (ns != null && !ns.isNull()) {
            namespace = text(metadata, "namespace", "metadata.namespace");
        }
        stringMap(metadata, "labels");
        stringMap(metadata, "annotations");
        return new KubernetesResource(apiVersion, kind, name, namespace);
    }

    private static String text(JsonNode node, String field, String path) throws YamlRefusal {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new YamlRefusal("not a Kubernetes resource: " + path + " is missing");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new YamlRefusal("not a Kubernetes resource: " + path + " must be a non-empty string");
        }
        return v.asText();
    }

    private static void stringMap(JsonNode metadata, String field) throws YamlRefusal {
        JsonNode v = metadata.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isObject()) {
            throw new YamlRefusal("not a Kubernetes resource: metadata." + field + " must be a mapping of strings");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new YamlRefusal("not a Kubernetes resource: metadata." + field + "." + clip(e.getKey()) + " must be a string");
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
