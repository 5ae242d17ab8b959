package dev.akua.registry.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * What an {@code Authorization} header carries (RFC 7235 §4.2; scheme names are case-insensitive).
 * The header is capped at {@link #MAX_HEADER} characters and a Basic password at
 * {@link #MAX_PASSWORD} characters: anything longer is malformed, not something to hash.
 */
sealed interface Credentials {
    int MAX_HEADER = 8192;
    int MAX_USER = 255;
    int MAX_PASSWORD = 1024;

    /** No header. */
    record None() implements Credentials {
    }

    /** {@code Basic base64(user:password)}. */
    record Basic(String user, char[] password) implements Credentials {
        @Override
        public String toString() {
            return "Basic[" + user + "]";
        }
    }

    /** {@code Bearer <token>}. */
    record Bearer(String token) implements Credentials {
        @Override
        public String toString() {
            return "Bearer[…]";
        }
    }

    /** Another scheme; ignored. */
    record OtherScheme(String scheme) implements Credentials {
    }

    /** A Basic or Bearer header that cannot be read. */
    record Malformed(String reason) implements Credentials {
    }

    static Credentials parse(String header) {
        if (header == null || header.isBlank()) {
            return new None();
        }
        if (header.length() > MAX_HEADER) {
            return new Malformed("authorization header too long");
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : h.substring(space + 1).strip();
        switch (scheme) {
            case "bearer":
                if (rest.isEmpty() || rest.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
                    return new Malformed("empty or invalid bearer token");
                }
                return new Bearer(rest);
            case "basic":
                return basic(rest);
            default:
                return new OtherScheme(scheme);
        }
    }

    private static Credentials basic(String encoded) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return new Malformed("basic credentials are not base64");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new Malformed("basic credentials are not UTF-8");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new Malformed("basic credentials without ':'");
        }
        String user = text.substring(0, colon);
        String password = text.substring(colon + 1);
        if (user.length() > MAX_USER || password.length() > MAX_PASSWORD
                || user.chars().anyMatch(Character::isISOControl)) {
            return new Malformed("basic credentials too long or with control characters");
        }
        return new Basic(user, password.toCharArray());
    }
}
