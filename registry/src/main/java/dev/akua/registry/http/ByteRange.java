package dev.akua.registry.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range of a blob GET (RFC 9110 §14.1.2), resolved against the blob's size.
 * Multiple ranges and syntactically invalid headers are ignored (the whole blob is served, as the
 * RFC allows); a valid range that lies outside the blob is unsatisfiable (416).
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=\\s*(\\d{0,19})\\s*-\\s*(\\d{0,19})\\s*");

    /** The outcome of reading a Range header. */
    public sealed interface Outcome permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Outcome {
    }

    public record Partial(ByteRange range) implements Outcome {
    }

    public record Unsatisfiable() implements Outcome {
    }

    public static Outcome resolve(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.get());
        if (!m.matches()) {
            return new Whole();
        }
        String a = m.group(1);
        String b = m.group(2);
        try {
            if (a.isEmpty() && b.isEmpty()) {
                return new Whole();
            }
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix == 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (!b.isEmpty() && Long.parseLong(b) < first) {
                return new Whole();
            }
            if (first >= size) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of a 206. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
