package dev.akua.registry.helm;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

/**
 * Which versions of a chart to mirror: {@code all}, a glob pattern over the version text
 * ({@code 1.2.*}, {@code *-rc*}), or a SemVer range in Helm's syntax ({@code >=1.0.0 <2.0.0},
 * {@code >= 1.2, < 2}, {@code ^1.2}, {@code ~1.2.3}, {@code 1.2.x}). Ranges are evaluated by semver4j
 * with npm semantics, as the lock resolver does; Helm separates AND-ed comparators with commas,
 * semver4j with spaces, so commas are turned into spaces first (the same normalisation as the
 * lockfile's {@code VersionConstraint}).
 *
 * @param text  the selector as configured
 * @param kind  how it is matched
 */
public record VersionSelector(String text, Kind kind, RangeList range, Pattern glob) {
    public enum Kind { ALL, RANGE, PATTERN }

    public VersionSelector {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }

    public static VersionSelector parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("all") || t.equals("*")) {
            return new VersionSelector("all", Kind.ALL, null, null);
        }
        if (t.length() > 256) {
            throw new IllegalArgumentException("version selector longer than 256 characters");
        }
        if (t.startsWith("pattern:") || (t.contains("*") && !t.matches(".*[<>=^~|].*"))) {
            String glob = t.startsWith("pattern:") ? t.substring("pattern:".length()).trim() : t;
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return new VersionSelector(t, Kind.PATTERN, null, Pattern.compile(regex.toString()));
        }
        String normalized = t.replace(',', ' ').replaceAll("\\s+", " ");
        RangeList range;
        try {
            range = RangeListFactory.create(normalized, false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a SemVer range, pattern or `all`: " + t, e);
        }
        if (range == null || range.get().isEmpty()) {
            throw new IllegalArgumentException("not a SemVer range, pattern or `all`: " + t);
        }
        return new VersionSelector(t, Kind.RANGE, range, null);
    }

    public boolean matches(String version) {
        return switch (kind) {
            case ALL -> true;
            case PATTERN -> glob.matcher(version).matches();
            case RANGE -> {
                String v = version.toLowerCase(Locale.ROOT).startsWith("v") ? version.substring(1) : version;
                Semver semver = Semver.parse(v);
                yield semver != null && range.isSatisfiedBy(semver);
            }
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
