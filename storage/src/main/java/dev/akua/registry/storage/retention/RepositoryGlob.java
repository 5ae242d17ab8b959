package dev.akua.registry.storage.retention;

import dev.akua.registry.oci.RepositoryName;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A glob over repository names, the same grammar as the permission and immutable-tag rules:
 * {@code *} matches within one path component, {@code **} across components, {@code ?} one
 * character other than {@code /}; the whole name must match. Where several globs match, the most
 * specific decides: most literal characters, then fewest {@code **}, then declared first.
 */
public final class RepositoryGlob {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._/*?-]{1,255}");
    private final String glob;
    private final Pattern regex;

    private RepositoryGlob(String glob) {
        this.glob = glob;
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.regex = Pattern.compile(re.toString());
    }

    public static RepositoryGlob parse(String glob) {
        String g = glob == null ? "" : glob.trim();
        if (!ALLOWED.matcher(g).matches() || g.contains("***")) {
            throw new IllegalArgumentException("invalid repository pattern '" + glob
                    + "': lower-case repository-name characters, '/', '*', '**' and '?'");
        }
        return new RepositoryGlob(g);
    }

    public boolean matches(RepositoryName name) {
        return regex.matcher(name.value()).matches();
    }

    private int literals() {
        return (int) glob.chars().filter(c -> c != '*' && c != '?').count();
    }

    private int doubleStars() {
        int n = 0;
        for (int i = glob.indexOf("**"); i >= 0; i = glob.indexOf("**", i + 2)) {
            n++;
        }
        return n;
    }

    /** The most specific item whose glob matches {@code name}. */
    public static <T> Optional<T> mostSpecific(List<T> items, Function<T, RepositoryGlob> globOf, RepositoryName name) {
        T best = null;
        Comparator<T> specificity = Comparator.<T>comparingInt(t -> globOf.apply(t).literals())
                .thenComparingInt(t -> -globOf.apply(t).doubleStars());
        for (T item : items) {
            if (globOf.apply(item).matches(name) && (best == null || specificity.compare(item, best) > 0)) {
                best = item;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RepositoryGlob other && other.glob.equals(glob);
    }

    @Override
    public int hashCode() {
        return Objects.hash(glob);
    }

    @Override
    public String toString() {
        return glob;
    }
}
