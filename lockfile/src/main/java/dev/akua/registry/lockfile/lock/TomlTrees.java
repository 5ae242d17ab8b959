package dev.akua.registry.lockfile.lock;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;

/** Jackson TOML reading shared by the akua.toml and akua.lock parsers: bounded, order-preserving. */
public final class TomlTrees {
    /** Largest akua.toml / akua.lock accepted (both are hand-sized files). */
    public static final int MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

    private final TomlMapper mapper;

    public TomlTrees() {
        TomlFactory factory = TomlFactory.builder()
                .enable(TomlReadFeature.PARSE_JAVA_TIME)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(1024 * 1024)
                        .maxDocumentLength(MAX_DOCUMENT_CHARS)
                        .build())
                .build();
        this.mapper = new TomlMapper(factory);
    }

    /**
     * Parses a TOML document into a tree; duplicate keys and malformed TOML are errors.
     *
     * @throws IllegalArgumentException with a message naming line and column
     */
    public ObjectNode read(String text) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new IllegalArgumentException("document larger than " + MAX_DOCUMENT_CHARS + " characters");
        }
        try {
            JsonNode tree = mapper.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return mapper.createObjectNode();
            }
            return (ObjectNode) tree;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage() + location(e), e);
        }
    }

    private static String location(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** A tree value as plain Java: String, Long/BigInteger, Double, Boolean, java.time, List, LinkedHashMap. */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            return value.bitLength() < 64 ? (Object) value.longValue() : value;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node instanceof POJONode pojo) {
            return pojo.getPojo();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(toJava(element)));
            return List.copyOf(list);
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), toJava(field.getValue()));
            }
            return map;
        }
        return node.asText();
    }
}
