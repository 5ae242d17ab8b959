package dev.akua.registry.auth.permission;

import dev.akua.registry.oci.RepositoryName;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A glob over repository names: {@code *} matches any run of characters inside one path
 * component, {@code **} any run including {@code /}, {@code ?} one character other than
 * {@code /}; everything else matches itself. The whole name must match, so {@code a/b} matches
 * neither {@code a/bc} nor {@code a/b/c}, and {@code a/*} matches {@code a/b} but not
 * {@code a/b/c} nor {@code a} itself.
 *
 * <p>Where several patterns match a name, the most specific one decides ({@link #longestMatch}):
 * the one with the most literal characters (the longest part of the name matched exactly, so
 * {@code a/b} beats {@code a/**} and {@code team/**} beats {@code **}), then the one with fewer
 * {@code **}, then fewer wildcards, then the one declared first.
 *
 * <p>A value type, but not a record: it keeps its compiled expression beside the text.
 */
public final class RepositoryPattern {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._/*?-]+");
    private static final int MAX_LENGTH = 255;

    private final String glob;
    private final Pattern regex;

    public RepositoryPattern(String glob) {
        Objects.requireNonNull(glob, "glob");
        if (glob.isEmpty() || glob.length() > MAX_LENGTH || !ALLOWED.matcher(glob).matches()) {
            throw new IllegalArgumentException("invalid repository pattern '" + glob
                    + "': use lower-case repository-name characters, '/', '*', '**' and '?'");
        }
        if (glob.contains("***")) {
            throw new IllegalArgumentException("invalid repository pattern '" + glob + "': '***' is ambiguous");
        }
        this.glob = glob;
        this.regex = compile(glob);
    }

    public String glob() {
        return glob;
    }

    public static RepositoryPattern parse(String glob) {
        return new RepositoryPattern(glob == null ? "" : glob.trim());
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    public boolean matches(RepositoryName name) {
        return regex.matcher(name.value()).matches();
    }

    int literalCount() {
        return (int) glob.chars().filter(c -> c != '*' && c != '?').count();
    }

    int doubleStarCount() {
        int n = 0;
        for (int i = glob.indexOf("**"); i >= 0; i = glob.indexOf("**", i + 2)) {
            n++;
        }
        return n;
    }

    int wildcardCount() {
        return glob.length() - literalCount();
    }

    /**
     * The most specific of {@code items} whose pattern matches {@code name}: most literal
     * characters, then fewest {@code **}, then fewest wildcard characters, then earliest in the list.
     */
    public static <T> Optional<T> longestMatch(List<T> items, Function<T, RepositoryPattern> patternOf, RepositoryName name) {
        Comparator<Indexed<T>> specificity = Comparator
                .<Indexed<T>>comparingInt(x -> patternOf.apply(x.item).literalCount())
                .thenComparingInt(x -> -patternOf.apply(x.item).doubleStarCount())
                .thenComparingInt(x -> -patternOf.apply(x.item).wildcardCount())
                .thenComparingInt(x -> -x.index);
        Indexed<T> best = null;
        for (int i = 0; i < items.size(); i++) {
            Indexed<T> candidate = new Indexed<>(items.get(i), i);
            if (patternOf.apply(candidate.item).matches(name)
                    && (best == null || specificity.compare(candidate, best) > 0)) {
                best = candidate;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.item);
    }

    private record Indexed<T>(T item, int index) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepositoryPattern other && other.glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
