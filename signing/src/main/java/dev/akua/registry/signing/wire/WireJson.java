package dev.akua.registry.signing.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON reader and writers the signing formats need. Signed documents (payloads, envelopes,
 * bundles, sidecar manifests) come from other people's pushes, so the reader is strict and bounded:
 * duplicate keys are refused (two parsers could otherwise read two different claims out of one
 * signed document), nesting and string lengths are capped, non-numeric numbers are off.
 *
 * <p>Two writing styles exist because the two producers we must match differ: cosign and
 * go-containerregistry write with Go's {@code encoding/json}, which escapes {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029; akua writes with serde_json, which escapes only what JSON requires.
 * For the strings that occur in practice (digests, media types, base64, repository names) the two
 * agree byte for byte.
 */
public final class WireJson {
    private final JsonMapper reader;
    private final JsonFactory goStyle;
    private final JsonFactory plainStyle;

    public WireJson() {
        JsonFactory strict = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(16 * 1024 * 1024)
                        .maxNumberLength(64)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        this.reader = new JsonMapper(strict);
        this.goStyle = new JsonFactoryBuilder().characterEscapes(new GoEscapes()).build();
        this.plainStyle = JsonFactory.builder().build();
    }

    /** Parses a bounded document; throws {@link WireFormatException} with a one-line reason. */
    public JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode node = reader.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new WireFormatException(what + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw new WireFormatException(what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Parses and requires a JSON object. */
    public JsonNode parseObject(byte[] bytes, String what) {
        JsonNode node = parse(bytes, what);
        if (!node.isObject()) {
            throw new WireFormatException(what + " must be a JSON object");
        }
        return node;
    }

    public JsonMapper mapper() {
        return reader;
    }

    /** Writes compact JSON the way Go's encoding/json escapes strings (cosign, go-containerregistry). */
    public byte[] writeGoStyle(JsonWriting body) {
        return write(goStyle, body);
    }

    /** Writes compact JSON the way serde_json escapes strings (akua). */
    public byte[] writePlain(JsonWriting body) {
        return write(plainStyle, body);
    }

    /** Serialises a tree compactly, Go style, keeping the tree's field order. */
    public byte[] writeTreeGoStyle(JsonNode node) {
        return writeGoStyle(g -> reader.writeTree(g, node));
    }

    private static byte[] write(JsonFactory factory, JsonWriting body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A piece of code that writes one JSON document. */
    @FunctionalInterface
    public interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Go's encoding/json HTML-safe escaping: {@code <>&} and U+2028/U+2029 as lower-case {@code \\u00xx}. */
    private static final class GoEscapes extends CharacterEscapes {
        private final int[] table;

        GoEscapes() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_CUSTOM;
            table['>'] = ESCAPE_CUSTOM;
            table['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
                // Go writes lower-case hex digits.
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
