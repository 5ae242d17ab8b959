package dev.akua.registry.oci.manifest;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonFactory;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.MediaTypes;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates pushed manifests. The format is chosen from a map keyed by media type
 * (OCI image manifest, OCI index, Docker schema 2 manifest and manifest list); anything else is
 * {@code MANIFEST_INVALID}. Parsing is bounded: nesting depth and string lengths are capped, and
 * duplicate object keys are refused, since two parsers could read different values out of them.
 */
public final class ManifestParser {
    /** Content types that say nothing about the manifest format; the {@code mediaType} field decides. */
    private static final List<String> GENERIC_TYPES = List.of("application/json", "application/octet-stream", "text/plain");

    private final JsonMapper mapper;
    private final Map<String, ManifestKind> formats;

    public ManifestParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(4 * 1024 * 1024)
                        .maxNumberLength(32)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        this.mapper = new JsonMapper(factory);
        this.formats = Map.of(
                MediaTypes.OCI_MANIFEST, ManifestKind.IMAGE,
                MediaTypes.DOCKER_MANIFEST, ManifestKind.IMAGE,
                MediaTypes.OCI_INDEX, ManifestKind.INDEX,
                MediaTypes.DOCKER_MANIFEST_LIST, ManifestKind.INDEX);
    }

    /** The media types this parser accepts. */
    public java.util.Set<String> supportedMediaTypes() {
        return formats.keySet();
    }

    /**
     * Parses and validates {@code raw}, pushed with {@code contentType} (may be null). The effective
     * media type is the {@code mediaType} field, else the Content-Type; when both are present they
     * must agree (distribution-spec "Pushing Manifests").
     */
    public ManifestContent parse(byte[] raw, String contentType) {
        JsonNode root;
        try {
            root = mapper.readTree(raw);
        } catch (IOException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "manifest is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "manifest must be a JSON object");
        }
        String header = MediaTypes.essence(contentType);
        if (header != null && GENERIC_TYPES.contains(header)) {
            header = null;
        }
        String field = optionalString(root, "mediaType", "manifest");
        if (field != null && header != null && !field.equals(header)) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID,
                    "manifest mediaType " + field + " does not match Content-Type " + header);
        }
        String mediaType = field != null ? field : header;
        if (mediaType == null) {
            mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        ManifestKind kind = formats.get(mediaType);
        if (kind == null) {
            if (MediaTypes.DOCKER_MANIFEST_V1_SIGNED.equals(mediaType) || MediaTypes.DOCKER_MANIFEST_V1.equals(mediaType)) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "Docker schema 1 manifests are not supported");
            }
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "unsupported manifest media type: " + mediaType);
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 2) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "schemaVersion must be 2");
        }
        String artifactType = optionalString(root, "artifactType", "manifest");
        Descriptor subject = root.has("subject") && !root.get("subject").isNull()
                ? descriptor(root.get("subject"), "subject") : null;
        Map<String, String> annotations = annotations(root.get("annotations"), "manifest");
        if (kind == ManifestKind.IMAGE) {
            JsonNode config = root.get("config");
            if (config == null || !config.isObject()) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "image manifest requires a config descriptor");
            }
            JsonNode layers = root.get("layers");
            if (layers == null || !layers.isArray()) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, "image manifest requires a layers array");
            }
            return new ManifestContent(mediaType, kind, artifactType, descriptor(config, "config"),
                    descriptors(layers, "layers"), List.of(), subject, annotations);
        }
        JsonNode manifests = root.get("manifests");
        if (manifests == null || !manifests.isArray()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "index requires a manifests array");
        }
        return new ManifestContent(mediaType, kind, artifactType, null, List.of(),
                descriptors(manifests, "manifests"), subject, annotations);
    }

    private List<Descriptor> descriptors(JsonNode array, String where) {
        List<Descriptor> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private Descriptor descriptor(JsonNode node, String where) {
        if (!node.isObject()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + " must be a descriptor object");
        }
        String mediaType = optionalString(node, "mediaType", where);
        if (mediaType == null || mediaType.isBlank()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".mediaType is required");
        }
        String digestText = optionalString(node, "digest", where);
        if (digestText == null) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".digest is required");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (OciException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".digest: " + e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".size must be a non-negative integer");
        }
        List<String> urls = null;
        JsonNode urlsNode = node.get("urls");
        if (urlsNode != null && !urlsNode.isNull()) {
            if (!urlsNode.isArray()) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".urls must be an array of strings");
            }
            urls = new ArrayList<>();
            for (JsonNode u : urlsNode) {
                if (!u.isTextual()) {
                    throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".urls must be an array of strings");
                }
                urls.add(u.asText());
            }
        }
        return new Descriptor(mediaType, digest, size.asLong(), optionalString(node, "artifactType", where),
                annotations(node.get("annotations"), where), urls);
    }

    private static Map<String, String> annotations(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".annotations must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw OciException.of(ErrorCode.MANIFEST_INVALID, where + ".annotations[" + e.getKey() + "] must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String optionalString(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, where + "." + field + " must be a string");
        }
        return value.asText();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
