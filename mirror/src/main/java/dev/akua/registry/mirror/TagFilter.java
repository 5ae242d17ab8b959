package dev.akua.registry.mirror;

import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which tags a mirroring rule or an export takes: a tag passes when it matches one of the glob
 * patterns ({@code *} any characters, {@code ?} one; none given means every tag) and, when a semver
 * range is given, is a semver version (a leading {@code v} allowed) inside the range (npm semantics:
 * {@code ^1.2}, {@code >=1.0 <2}, {@code 1.x}; a pre-release only matches a range naming one).
 * Signature, attestation and referrer-fallback tags ({@code sha256-<hex>[.sig|.att|.sbom]}) never
 * pass: they are copied together with the artifact they belong to.
 */
public final class TagFilter {
    private static final Pattern SIDECAR = Pattern.compile("(sha256|sha512)-[0-9a-f]{64,128}(\\.[a-z]+)?");
    private static final TagFilter ALL = new TagFilter(List.of(), null, null);

    private final List<String> patterns;
    private final List<Pattern> compiled;
    private final String rangeText;
    private final RangeList range;

    private TagFilter(List<String> patterns, String rangeText, RangeList range) {
        this.patterns = List.copyOf(patterns);
        this.compiled = patterns.stream().map(TagFilter::glob).toList();
        this.rangeText = rangeText;
        this.range = range;
    }

    public static TagFilter all() {
        return ALL;
    }

    /**
     * @param patterns glob patterns; empty means any tag
     * @param semver   a semver range, or null/blank for none
     */
    public static TagFilter of(List<String> patterns, String semver) {
        Objects.requireNonNull(patterns, "patterns");
        for (String p : patterns) {
            if (p == null || p.isEmpty() || p.length() > 128 || !p.matches("[A-Za-z0-9_.*?-]+")) {
                throw new IllegalArgumentException("tag pattern must be 1-128 of [A-Za-z0-9_.-*?]: " + p);
            }
        }
        if (semver == null || semver.isBlank()) {
            return new TagFilter(patterns, null, null);
        }
        String normalized = semver.trim().replace(',', ' ').replaceAll("\\s+", " ");
        RangeList range;
        try {
            range = RangeListFactory.create(normalized, false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a semver range: " + semver, e);
        }
        if (range == null || range.get().isEmpty()) {
            throw new IllegalArgumentException("not a semver range: " + semver);
        }
        return new TagFilter(patterns, semver.trim(), range);
    }

    public boolean matches(String tag) {
        if (tag == null || isSidecarTag(tag)) {
            return false;
        }
        if (!compiled.isEmpty() && compiled.stream().noneMatch(p -> p.matcher(tag).matches())) {
            return false;
        }
        if (range == null) {
            return true;
        }
        Semver v = semver(tag);
        return v != null && range.isSatisfiedBy(v);
    }

    /** {@code sha256-<hex>} tags: cosign sidecars ({@code .sig}, {@code .att}, {@code .sbom}) and the referrers tag schema. */
    public static boolean isSidecarTag(String tag) {
        return SIDECAR.matcher(tag).matches();
    }

    static Semver semver(String tag) {
        if (tag.length() > 128) {
            return null;
        }
        String v = tag.toLowerCase(Locale.ROOT).startsWith("v") ? tag.substring(1) : tag;
        try {
            return Semver.parse(v);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '.' -> re.append("\\.");
                default -> re.append(c);
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        String p = patterns.isEmpty() ? "*" : String.join(",", patterns);
        return rangeText == null ? p : p + " (semver " + rangeText + ")";
    }
}
