package dev.akua.registry.helm.chart;

import java.io.IOException;
import java.io.Reader;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML reading for remote documents (index.yaml, Chart.yaml), bounded against hostile input:
 * a code-point limit on the whole document, a nesting limit, duplicate keys refused (Jackson's
 * strict duplicate detection), and aliases refused outright. Jackson does not expand aliases (it
 * would silently read an alias as its anchor's name), so refusing them also refuses every
 * "billion laughs" alias bomb; generated Helm indexes never use anchors.
 */
public final class BoundedYaml {
    private final ObjectMapper mapper;
    private final YAMLFactory factory;

    /**
     * @param maxCodePoints largest document accepted
     * @param maxDepth      deepest nesting accepted
     */
    public BoundedYaml(int maxCodePoints, int maxDepth) {
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
                        .maxStringLength(Math.min(maxCodePoints, 16 * 1024 * 1024))
                        .build())
                .build();
        this.factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.mapper = new ObjectMapper(factory);
    }

    /** A streaming parser that fails on any alias; the caller closes it. */
    public JsonParser parser(Reader reader) throws IOException {
        return new AliasRefusingParser(factory.createParser(reader));
    }

    /** Reads the current value of a parser from {@link #parser(Reader)} as a tree. */
    public JsonNode readTree(JsonParser parser) throws IOException {
        return mapper.readTree(parser);
    }

    /** Reads a whole small document as a tree. */
    public JsonNode readTree(Reader reader) throws IOException {
        try (JsonParser parser = parser(reader)) {
            JsonNode node = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one YAML document");
            }
            return node;
        }
    }

    /**
     * Every non-empty document of a multi-document stream, in order; more than {@code maxDocuments}
     * is refused (an {@link IOException} saying so).
     */
    public java.util.List<JsonNode> documents(Reader reader, int maxDocuments) throws IOException {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        try (JsonParser parser = parser(reader);
             com.fasterxml.jackson.databind.MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(parser)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (out.size() == maxDocuments) {
                    throw new IOException("more than " + maxDocuments + " YAML documents");
                }
                out.add(doc);
            }
        } catch (RuntimeException e) {
            // Jackson wraps parser failures met inside the iterator in unchecked exceptions
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return out;
    }

    /** Thrown for a YAML alias. */
    public static final class AliasRefused extends IOException {
        AliasRefused(String message) {
            super(message);
        }
    }

    private static final class AliasRefusingParser extends JsonParserDelegate {
        private final YAMLParser yaml;

        AliasRefusingParser(YAMLParser yaml) {
            super(yaml);
            this.yaml = yaml;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (yaml.isCurrentAlias()) {
                throw new AliasRefused("YAML aliases are not accepted (line " + yaml.currentLocation().getLineNr() + ")");
            }
            return token;
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
        public JsonToken nextValue() throws IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
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
