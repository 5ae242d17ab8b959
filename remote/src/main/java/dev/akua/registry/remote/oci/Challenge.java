package dev.akua.registry.remote.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge (RFC 9110 §11.6.1): a scheme and its auth-params. Values
 * may be quoted strings holding commas, as Distribution's {@code scope="repository:a/b:pull,push"}
 * does, so the header is tokenised rather than split on commas. Only the first challenge of the
 * header is read; bounded to 4 KiB and 16 parameters.
 *
 * @param scheme lower-case scheme ({@code bearer}, {@code basic}, …), empty when unreadable
 * @param params lower-case parameter names to unquoted values
 */
record Challenge(String scheme, Map<String, String> params) {
    private static final int MAX_LENGTH = 4096;
    private static final int MAX_PARAMS = 16;

    Challenge {
        params = Map.copyOf(params);
    }

    static Challenge parse(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_LENGTH) {
            return new Challenge("", Map.of());
        }
        String s = header.trim();
        int i = 0;
        while (i < s.length() && isTokenChar(s.charAt(i))) {
            i++;
        }
        String scheme = s.substring(0, i).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        while (i < s.length() && params.size() < MAX_PARAMS) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == '\t')) {
                i++;
            }
            int nameStart = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            if (name.isEmpty() || i >= s.length() || s.charAt(i) != '=') {
                break; // a second challenge (scheme without '=') or garbage: stop at the first challenge
            }
            i++;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < s.length()) {
                        c = s.charAt(i++);
                    }
                    value.append(c);
                }
                i++; // closing quote
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    value.append(s.charAt(i++));
                }
            }
            params.putIfAbsent(name, value.toString().trim());
        }
        return new Challenge(scheme, params);
    }

    String param(String name) {
        return params.get(name);
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
    }
}
