package dev.akua.registry.publisher.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML from clients, read with bounds: a code-point limit on the text, a nesting limit, duplicate
 * keys refused, and aliases refused outright. Jackson never expands an alias (it would read it as
 * the anchor's name), so refusing every alias also refuses every "billion laughs" bomb; rendered
 * Kubernetes manifests have no use for anchors.
 */
public final class BoundedYaml {
    private final YAMLFactory factory;
    private final ObjectMapper mapper;
    private final int maxDocuments;

    /**
     * @param maxCodePoints largest text accepted
     * @param maxDepth      deepest nesting of mappings and sequences accepted
     * @param maxDocuments  most documents in one stream
     */
    public BoundedYaml(int maxCodePoints, int maxDepth, int maxDocuments) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxCodePoints);
        options.setNestingDepthLimit(maxDepth);
        options.setMaxAliasesForCollections(0);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        this.factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxDocumentLength(maxCodePoints)
                        .maxStringLength(maxCodePoints)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory);
        this.maxDocuments = maxDocuments;
    }

    /** Every non-empty document of {@code text}, in order. */
    public List<JsonNode> documents(String text) throws YamlRefusal {
        List<JsonNode> out = new ArrayList<>();
        try (JsonParser parser = new AliasRefusing((YAMLParser) factory.createParser(new StringReader(text)));
             MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(parser)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (out.size() == maxDocuments) {
                    throw new YamlRefusal("more than " + maxDocuments + " YAML documents");
                }
                out.add(doc);
            }
        } catch (YamlRefusal e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Throwable alias = e;
            while (alias != null && !(alias instanceof AliasFound)) {
                alias = alias.getCause();
            }
            throw new YamlRefusal(alias != null ? alias.getMessage() : "invalid YAML: " + firstLine(e.getMessage()));
        }
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Thrown by the parser at the first alias. */
    private static final class AliasFound extends IOException {
        AliasFound(String message) {
            super(message);
        }
    }

    /** Fails on the first alias token, whichever parser method reached it. */
    private static final class AliasRefusing extends JsonParserDelegate {
        private final YAMLParser yaml;

        AliasRefusing(YAMLParser yaml) {
            super(yaml);
            this.yaml = yaml;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (yaml.isCurrentAlias()) {
                throw new AliasFound("YAML aliases are not accepted (alias at line " + yaml.currentLocation().getLineNr() + ")");
            }
            return token;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
        }

        @Override
        public String nextFieldName() throws IOException {
            return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
        }

        @Override
        public boolean nextFieldName(com.fasterxml.jackson.core.SerializableString expected) throws IOException {
            return nextToken() == JsonToken.FIELD_NAME && expected.getValue().equals(currentName());
        }

        @Override
        public String nextTextValue() throws IOException {
            return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
        }

        @Override
        public int nextIntValue(int defaultValue) throws IOException {
            return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
        }

        @Override
        public long nextLongValue(long defaultValue) throws IOException {
            return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
        }

        @Override
        public Boolean nextBooleanValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
        }

        @Override
        public JsonParser skipChildren() throws IOException {
            if (currentToken() != JsonToken.START_OBJECT && currentToken() != JsonToken.START_ARRAY) {
                return this;
            }
            int open = 1;
            while (true) {
                JsonToken t = nextToken();
                if (t == null) {
                    return this;
                }
                if (t.isStructStart()) {
                    open++;
                } else if (t.isStructEnd() && --open == 0) {
                    return this;
                }
            }
        }
    }
}
