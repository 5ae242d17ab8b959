package dev.akua.registry.publisher;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Tag;
import org.semver4j.Semver;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * What to publish, besides the rendered manifests themselves.
 *
 * @param shape        helm-chart or oci-bundle
 * @param name         the chart or bundle name: lowercase letters, digits, {@code .}, {@code _}, {@code -},
 *                     starting and ending with a letter or digit, at most 63 characters
 * @param version      a SemVer 2.0 version; the tag is this with {@code +} written as {@code _}
 *                     (Helm's convention for OCI tags)
 * @param description  free text, at most 1024 characters, no control characters; may be empty
 * @param sourceRef    where the source akua package lives ({@code oci://host/repo:tag} or any URI
 *                     without spaces), or null
 * @param sourceDigest the digest of the source akua package (required: provenance names it)
 * @param created      the time recorded as {@code org.opencontainers.image.created}; part of the
 *                     input, so the same request always gives the same bytes. Defaults to the Unix epoch.
 */
public record PublishRequest(Shape shape, String name, String version, String description, String sourceRef,
                             Digest sourceDigest, Instant created) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
    private static final int MAX_DESCRIPTION = 1024;
    private static final int MAX_SOURCE_REF = 1024;

    public PublishRequest {
        if (shape == null) {
            throw invalid("the shape is missing (as=helm-chart or as=oci-bundle)");
        }
        if (name == null || name.isEmpty()) {
            throw invalid("the name is missing");
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("name '" + clip(name) + "' is not valid: use lowercase letters, digits, '.', '_' and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters");
        }
        if (version == null || version.isEmpty()) {
            throw invalid("the version is missing");
        }
        if (!version.equals(version.strip()) || version.startsWith("v") || !Semver.isValid(version) || version.length() > 128) {
            throw invalid("version '" + clip(version) + "' is not a SemVer 2.0 version (e.g. 1.2.3 or 1.2.3-rc.1+build.5)");
        }
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION) {
            throw invalid("the description is longer than " + MAX_DESCRIPTION + " characters");
        }
        if (hasControl(description)) {
            throw invalid("the description contains control characters");
        }
        if (sourceRef != null && sourceRef.isEmpty()) {
            sourceRef = null;
        }
        if (sourceRef != null && (sourceRef.length() > MAX_SOURCE_REF || hasControl(sourceRef) || sourceRef.chars().anyMatch(Character::isWhitespace))) {
            throw invalid("the source reference must be at most " + MAX_SOURCE_REF + " characters without spaces or control characters");
        }
        if (sourceDigest == null) {
            throw invalid("the source package digest is missing (sourceDigest=sha256:…)");
        }
        created = created == null ? Instant.EPOCH : created;
    }

    /** The OCI tag the result is pushed under: the version, {@code +} written as {@code _}. */
    public Tag tag() {
        return Tag.parse(version.replace('+', '_'));
    }

    /** Parses a digest given by a client. */
    public static Digest parseDigest(String value, String what) {
        if (value == null || value.isBlank()) {
            throw invalid("the " + what + " is missing");
        }
        try {
            return Digest.parse(value.strip());
        } catch (RuntimeException e) {
            throw invalid("the " + what + " '" + clip(value) + "' is not a digest (algorithm:hex, e.g. sha256:…)");
        }
    }

    /** Parses an RFC 3339 time given by a client, or null for none. */
    public static Instant parseCreated(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw invalid("created '" + clip(value) + "' is not an RFC 3339 UTC time (e.g. 2026-01-31T12:00:00Z)");
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029);
    }

    private static String clip(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 80 ? p.substring(0, 80) + "…" : p;
    }

    private static PublishRefusal invalid(String message) {
        return new PublishRefusal(PublishRefusal.Kind.INVALID_REQUEST, message, null);
    }

    @Override
    public String toString() {
        return shape + " " + name + ":" + version;
    }
}
