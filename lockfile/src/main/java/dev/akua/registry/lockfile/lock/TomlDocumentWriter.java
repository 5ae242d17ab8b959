package dev.akua.registry.lockfile.lock;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an ordered tree (maps, lists, scalars) as a TOML document with the layout of the Rust
 * {@code toml} crate 1.1.2's {@code to_string_pretty} (with {@code toml_writer} 1.1.1), which is
 * what akua 0.8.5 writes akua.lock with ({@code Cargo.lock} of akua at 376fd31). The rules:
 * <ul>
 *   <li>each table gets a slot in creation order; scalar and inline values go into the body of the
 *       table being written, sub-tables and array-of-table elements into new slots, so values written
 *       after a sub-table still appear above its header;</li>
 *   <li>slots are printed in order, separated by one empty line; the root prints only when its body is
 *       non-empty, a sub-table when it is an array element, has a body, or has no sub-tables;</li>
 *   <li>an array whose elements are all tables is an array of tables; an empty array is a value;</li>
 *   <li>arrays of two or more values are written one value per line, indented by four spaces, with a
 *       trailing comma; shorter ones inline; inline tables as {@code { k = v, k2 = v2 }};</li>
 *   <li>strings use the first encoding that fits: basic {@code "…"} if nothing needs escaping, literal
 *       {@code '…'}, multi-line basic, multi-line literal, then escaped basic;</li>
 *   <li>null values are left out (serde's {@code Option::None}).</li>
 * </ul>
 */
final class TomlDocumentWriter {
    private static final class Table {
        final List<String> key;
        final StringBuilder body = new StringBuilder();
        boolean hasChildren;
        boolean array;

        Table(List<String> key) {
            this.key = key;
        }
    }

    private enum Strategy { VALUE, TABLE, ARRAY_OF_TABLES, SKIP }

    private final List<Table> tables = new ArrayList<>();

    private TomlDocumentWriter() {
    }

    static String write(Map<String, ?> root) {
        TomlDocumentWriter writer = new TomlDocumentWriter();
        writer.serializeTable(writer.newTable(null), root);
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Table table : writer.tables) {
            if (!required(table)) {
                continue;
            }
            if (!first) {
                out.append('\n');
            }
            first = false;
            if (table.key != null) {
                out.append(table.array ? "[[" : "[").append(String.join(".", table.key)).append(table.array ? "]]" : "]").append('\n');
            }
            out.append(table.body);
        }
        return out.toString();
    }

    private static boolean required(Table table) {
        if (table.key == null) {
            return !table.body.isEmpty();
        }
        return table.array || !table.body.isEmpty() || !table.hasChildren;
    }

    private Table newTable(List<String> key) {
        Table table = new Table(key);
        tables.add(table);
        return table;
    }

    private static List<String> childKey(Table parent, String key) {
        List<String> path = new ArrayList<>(parent.key == null ? List.of() : parent.key);
        path.add(encodeKey(key));
        return path;
    }

    private void serializeTable(Table table, Map<String, ?> map) {
        for (Map.Entry<String, ?> entry : map.entrySet()) {
            Object value = entry.getValue();
            switch (strategy(value)) {
                case SKIP -> { }
                case VALUE -> {
                    table.body.append(encodeKey(entry.getKey())).append(" = ");
                    writeValue(table.body, value);
                    table.body.append('\n');
                }
                case ARRAY_OF_TABLES -> {
                    table.hasChildren = true;
                    for (Object element : (List<?>) value) {
                        Table child = newTable(childKey(table, entry.getKey()));
                        child.array = true;
                        serializeTable(child, asMap(element));
                    }
                }
                case TABLE -> {
                    table.hasChildren = true;
                    Table child = newTable(childKey(table, entry.getKey()));
                    serializeTable(child, asMap(value));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> asMap(Object value) {
        return (Map<String, ?>) value;
    }

    private static Strategy strategy(Object value) {
        if (value == null) {
            return Strategy.SKIP;
        }
        if (value instanceof Map<?, ?>) {
            return Strategy.TABLE;
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return Strategy.VALUE;
            }
            for (Object element : list) {
                if (!(element instanceof Map<?, ?>)) {
                    return Strategy.VALUE;
                }
            }
            return Strategy.ARRAY_OF_TABLES;
        }
        return Strategy.VALUE;
    }

    private static void writeValue(StringBuilder out, Object value) {
        switch (value) {
            case String s -> out.append(encodeString(s));
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case BigInteger i -> out.append(i);
            case Double d -> out.append(formatFloat(d));
            case Float f -> out.append(formatFloat(f.doubleValue()));
            case BigDecimal d -> out.append(formatFloat(d.doubleValue()));
            case OffsetDateTime t -> out.append(formatDate(t.toLocalDate())).append('T').append(formatTime(t.toLocalTime()))
                    .append(formatOffset(t.getOffset()));
            case LocalDateTime t -> out.append(formatDate(t.toLocalDate())).append('T').append(formatTime(t.toLocalTime()));
            case LocalDate d -> out.append(formatDate(d));
            case LocalTime t -> out.append(formatTime(t));
            case List<?> list -> writeArray(out, list);
            case Map<?, ?> map -> writeInlineTable(out, map);
            default -> throw new IllegalArgumentException("not a TOML value: " + value.getClass().getName());
        }
    }

    private static void writeArray(StringBuilder out, List<?> list) {
        List<?> values = list.stream().filter(v -> v != null).toList();
        boolean multiline = list.size() >= 2;
        out.append('[');
        boolean seen = false;
        for (Object value : values) {
            if (multiline) {
                out.append("\n    ");
            } else if (seen) {
                out.append(", ");
            }
            seen = true;
            writeValue(out, value);
            if (multiline) {
                out.append(',');
            }
        }
        if (multiline && seen) {
            out.append('\n');
        }
        out.append(']');
    }

    private static void writeInlineTable(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean seen = false;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            if (seen) {
                out.append(',');
            }
            seen = true;
            out.append(' ').append(encodeKey(String.valueOf(entry.getKey()))).append(" = ");
            writeValue(out, entry.getValue());
        }
        if (seen) {
            out.append(' ');
        }
        out.append('}');
    }

    /** {@code toml_writer}'s f64 form: shortest round-trip digits, never an exponent, integral values get ".0". */
    private static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-nan" : "nan";
        }
        if (d == 0.0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-inf" : "inf";
        }
        String plain = new BigDecimal(Double.toString(d)).toPlainString();
        if (d % 1.0 == 0.0) {
            int dot = plain.indexOf('.');
            return (dot < 0 ? plain : plain.substring(0, dot)) + ".0";
        }
        return plain;
    }

    private static String formatDate(LocalDate d) {
        return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static String formatTime(LocalTime t) {
        StringBuilder s = new StringBuilder(String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
        if (t.getNano() != 0) {
            String nanos = String.format("%09d", t.getNano()).replaceAll("0+$", "");
            s.append('.').append(nanos);
        }
        return s.toString();
    }

    private static String formatOffset(ZoneOffset offset) {
        int minutes = offset.getTotalSeconds() / 60;
        if (minutes == 0) {
            return "Z";
        }
        char sign = minutes < 0 ? '-' : '+';
        minutes = Math.abs(minutes);
        return String.format("%c%02d:%02d", sign, minutes / 60, minutes % 60);
    }

    // ---- keys and strings: toml_writer's TomlKeyBuilder / TomlStringBuilder "as_default" ----

    static String encodeKey(String key) {
        boolean unquoted = !key.isEmpty();
        boolean singleQuotes = false;
        boolean doubleQuotes = false;
        boolean escapeCodes = false;
        boolean escape = false;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                unquoted = false;
            }
            if (c == '\'') {
                singleQuotes = true;
            } else if (c == '"') {
                doubleQuotes = true;
            } else if (c == '\\') {
                escape = true;
            } else if (c != '\t' && (c <= 0x1f || c == 0x7f)) {
                escapeCodes = true;
            }
        }
        if (unquoted) {
            return key;
        }
        if (!escapeCodes && !escape && !doubleQuotes) {
            return "\"" + key + "\"";
        }
        if (!escapeCodes && !singleQuotes) {
            return "'" + key + "'";
        }
        return render(key, Encoding.BASIC, false);
    }

    private enum Encoding { LITERAL, BASIC, ML_LITERAL, ML_BASIC }

    static String encodeString(String s) {
        int maxSingle = 0;
        int maxDouble = 0;
        int runSingle = 0;
        int runDouble = 0;
        boolean escapeCodes = false;
        boolean escape = false;
        boolean newline = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            runSingle = c == '\'' ? runSingle + 1 : 0;
            maxSingle = Math.max(maxSingle, runSingle);
            runDouble = c == '"' ? runDouble + 1 : 0;
            maxDouble = Math.max(maxDouble, runDouble);
            if (c == '\\') {
                escape = true;
            } else if (c == '\n') {
                newline = true;
            } else if (c != '\t' && (c <= 0x1f || c == 0x7f)) {
                escapeCodes = true;
            }
        }
        Encoding encoding;
        if (!escapeCodes && !escape && maxDouble == 0 && !newline) {
            encoding = Encoding.BASIC;                              // as_basic_pretty
        } else if (!escapeCodes && maxSingle == 0 && !newline) {
            encoding = Encoding.LITERAL;
        } else if (!escapeCodes && !escape && maxDouble <= 2) {
            encoding = Encoding.ML_BASIC;                           // as_ml_basic_pretty
        } else if (!escapeCodes && maxSingle <= 2) {
            encoding = Encoding.ML_LITERAL;
        } else {
            encoding = newline ? Encoding.ML_BASIC : Encoding.BASIC;
        }
        return render(s, encoding, newline);
    }

    private static String render(String decoded, Encoding encoding, boolean newline) {
        String delimiter = switch (encoding) {
            case LITERAL -> "'";
            case BASIC -> "\"";
            case ML_LITERAL -> "'''";
            case ML_BASIC -> "\"\"\"";
        };
        boolean escaped = encoding == Encoding.BASIC || encoding == Encoding.ML_BASIC;
        boolean multiline = encoding == Encoding.ML_LITERAL || encoding == Encoding.ML_BASIC;
        StringBuilder out = new StringBuilder(decoded.length() + 8).append(delimiter);
        if (newline && multiline) {
            out.append('\n');
        }
        if (!escaped) {
            out.append(decoded);
        } else {
            int maxRun = multiline ? 2 : 0;
            int run = 0;
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (c == '"') {
                    run++;
                    if (run > maxRun) {
                        out.append("\\\"");
                        run = 0;
                        continue;
                    }
                    out.append(c);
                    continue;
                }
                run = 0;
                switch (c) {
                    case '\b' -> out.append("\\b");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append(multiline ? "\n" : "\\n");
                    case '\f' -> out.append("\\f");
                    case '\r' -> out.append("\\r");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c <= 0x1f || c == 0x7f) {
                            out.append(String.format("\\u%04X", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out.append(delimiter).toString();
    }
}
