package dev.akua.registry.signing;

import dev.akua.registry.oci.RepositoryName;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which repositories a trust policy covers: a repository name where a path component may be
 * {@code *} (any one component, or any run of characters inside a component, e.g. {@code app-*}) and
 * the component {@code **} stands for zero or more components. {@code acme/**} covers {@code acme},
 * {@code acme/app} and {@code acme/team/app}; {@code acme/*} covers {@code acme/app} only; {@code **}
 * covers everything.
 */
public record RepositoryPattern(String value) {
    private static final Pattern GRAMMAR = Pattern.compile("(\\*\\*|[a-z0-9._*-]+)(/(\\*\\*|[a-z0-9._*-]+))*");

    public RepositoryPattern {
        Objects.requireNonNull(value, "value");
        if (!GRAMMAR.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid repository pattern '" + value
                    + "': use repository names with * (within a component) and ** (any components)");
        }
    }

    public static RepositoryPattern parse(String value) {
        return new RepositoryPattern(value == null ? "" : value.strip());
    }

    public boolean matches(RepositoryName repository) {
        return regex().matcher(repository.value()).matches();
    }

    private Pattern regex() {
        StringBuilder re = new StringBuilder();
        String[] parts = value.split("/");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals("**")) {
                // zero or more whole components, with the separators around them
                if (i == 0 && last) {
                    re.append(".*");
                } else if (i == 0) {
                    re.append("(?:[^/]+/)*");
                } else {
                    re.setLength(re.length() - 1); // drop the '/' appended after the previous component
                    re.append("(?:/[^/]+)*");
                    if (!last) {
                        re.append('/');
                    }
                }
                continue;
            }
            for (String literal : part.split("\\*", -1)) {
                re.append(Pattern.quote(literal)).append("[^/]*");
            }
            re.setLength(re.length() - "[^/]*".length());
            if (!last) {
                re.append('/');
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
