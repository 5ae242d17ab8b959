package dev.akua.registry.oci;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} (distribution-spec "Pulling manifests").
 * Cosign sidecar tags such as {@code sha256-<64 hex>.sig} (75 characters) fit this grammar.
 */
public record Tag(String value) implements Reference {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        Objects.requireNonNull(value, "value");
        if (!GRAMMAR.matcher(value).matches()) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID,
                    "invalid tag: " + Digest.abbreviate(value) + " (must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})");
        }
    }

    public static Tag parse(String value) {
        if (value == null) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "missing tag");
        }
        return new Tag(value);
    }

    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
