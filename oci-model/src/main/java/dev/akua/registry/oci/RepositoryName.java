package dev.akua.registry.oci;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository name ({@code <name>} in the spec's URLs): path components of lower-case
 * alphanumerics joined by {@code .}, {@code _}, {@code __} or runs of {@code -}, separated by
 * {@code /} (distribution-spec "Pulling manifests"). Limited to 255 characters, the limit many
 * clients impose on host + name; validated before anything touches storage.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    public static final int MAX_LENGTH = 255;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT.pattern() + "(?:/" + COMPONENT.pattern() + ")*");

    public RepositoryName {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
            throw OciException.of(ErrorCode.NAME_INVALID, "invalid repository name: " + Digest.abbreviate(value),
                    java.util.Map.of("name", Digest.abbreviate(value)));
        }
    }

    public static RepositoryName parse(String value) {
        return new RepositoryName(value == null ? "" : value);
    }

    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && GRAMMAR.matcher(value).matches();
    }

    /** True if this name equals {@code prefix} or lies below it ({@code a/b} is under {@code a}, {@code a/bc} is not). */
    public boolean isUnder(String prefix) {
        return value.equals(prefix) || value.startsWith(prefix + "/");
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
