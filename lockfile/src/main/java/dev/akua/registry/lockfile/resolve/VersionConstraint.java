package dev.akua.registry.lockfile.resolve;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

import dev.akua.registry.lockfile.lock.Utf8Order;

/**
 * A dependency's {@code version}: either an exact version (a tag, a chart version) or a semver range
 * ({@code ^1.2}, {@code ~1.2.3}, {@code >=1.0 <2}, {@code >= 1.0, < 2} as Helm writes it, {@code 1.2.x},
 * {@code 1.0 - 1.5}, {@code ||}). A string is a range if it contains a range operator or an x/X/*
 * component; anything else is exact and matched verbatim, as akua uses {@code version} verbatim as
 * the OCI tag (wire contract §4.1). Ranges are evaluated by semver4j with npm semantics: a
 * pre-release only matches when the range names a pre-release of the same version.
 */
public final class VersionConstraint {
    private static final Pattern RANGE_SYNTAX = Pattern.compile(".*([\\^~<>=*|,]|\\s|(^|\\.)[xX](\\.|$)).*");

    private final String text;
    private final RangeList range;

    private VersionConstraint(String text, RangeList range) {
        this.text = text;
        this.range = range;
    }

    public static VersionConstraint parse(String text) {
        Objects.requireNonNull(text, "version");
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 256) {
            throw new IllegalArgumentException("version must be 1-256 characters");
        }
        if (!RANGE_SYNTAX.matcher(trimmed).matches()) {
            return new VersionConstraint(trimmed, null);
        }
        // Helm (Masterminds semver) separates AND-ed comparators with commas; semver4j with spaces.
        String normalized = trimmed.replace(',', ' ').replaceAll("\\s+", " ");
        RangeList range;
        try {
            range = RangeListFactory.create(normalized, false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a semver range: " + trimmed, e);
        }
        if (range == null || range.get().isEmpty()) {
            throw new IllegalArgumentException("not a semver range: " + trimmed);
        }
        return new VersionConstraint(trimmed, range);
    }

    public boolean isExact() {
        return range == null;
    }

    public String text() {
        return text;
    }

    /** Whether a concrete version (tag, chart version) satisfies this constraint. */
    public boolean matches(String version) {
        if (range == null) {
            return text.equals(version);
        }
        Semver semver = semver(version);
        return semver != null && range.isSatisfiedBy(semver);
    }

    /** The highest of the candidates that satisfies this constraint (exact: the candidate equal to it). */
    public Optional<String> best(Collection<String> candidates) {
        if (range == null) {
            return candidates.contains(text) ? Optional.of(text) : Optional.empty();
        }
        return candidates.stream()
                .filter(this::matches)
                .max(Comparator.<String, Semver>comparing(VersionConstraint::semver)
                        .thenComparing(Comparator.comparing((String v) -> v.startsWith("v") ? 0 : 1))
                        .thenComparing(Utf8Order.INSTANCE));
    }

    /** A semver version, allowing a leading {@code v} as tags often have; null if it is not one. */
    static Semver semver(String version) {
        if (version == null || version.length() > 256) {
            return null;
        }
        String v = version.toLowerCase(Locale.ROOT).startsWith("v") ? version.substring(1) : version;
        try {
            return Semver.parse(v);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
