package dev.akua.registry.helm.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.semver4j.Semver;

/**
 * A chart's {@code Chart.yaml}, checked the way Helm's {@code chart.Metadata.Validate} checks it and
 * a little stricter: {@code apiVersion} v1 or v2, a {@code name} of Helm's chart-name characters,
 * a {@code version} that is SemVer 2.0.0, no control characters anywhere (tab, CR and LF allowed in
 * free text only), {@code type} application or library, dependencies with names.
 *
 * @param yaml         the whole document as read (for index entries and Helm's config blob)
 * @param name         chart name
 * @param version      chart version (SemVer 2.0.0)
 * @param apiVersion   {@code v1} or {@code v2}
 * @param dependencies declared dependencies (Chart.yaml of apiVersion v2; requirements.yaml is not read)
 */
public record ChartMetadata(JsonNode yaml, String name, String version, String apiVersion, List<Dependency> dependencies) {
    /** Helm's {@code chartutil} chart-name rule; 250 is Helm's maximum name length. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,250}");
    private static final int MAX_DEPENDENCIES = 1000;

    /**
     * A dependency of Chart.yaml.
     *
     * @param name       chart name
     * @param version    version or range, "" when absent
     * @param repository repository URL, {@code oci://} path, {@code file://} path, alias, or ""
     */
    public record Dependency(String name, String version, String repository) {
        public Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(repository, "repository");
        }
    }

    public ChartMetadata {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
        dependencies = List.copyOf(dependencies);
    }

    /** Validates a parsed Chart.yaml. */
    public static ChartMetadata parse(JsonNode yaml) throws InvalidChartException {
        if (yaml == null || !yaml.isObject()) {
            throw new InvalidChartException("Chart.yaml is not a mapping");
        }
        checkText(yaml, "Chart.yaml", 0);
        String apiVersion = requiredString(yaml, "apiVersion");
        if (!apiVersion.equals("v1") && !apiVersion.equals("v2")) {
            throw new InvalidChartException("Chart.yaml apiVersion must be v1 or v2, not `" + apiVersion + "`");
        }
        String name = requiredString(yaml, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidChartException("Chart.yaml name `" + printable(name) + "` is not a valid chart name");
        }
        String version = requiredString(yaml, "version");
        if (!isSemVer(version)) {
            throw new InvalidChartException("Chart.yaml version `" + printable(version) + "` is not SemVer 2.0.0");
        }
        JsonNode type = yaml.get("type");
        if (type != null && !type.isNull() && !(type.isTextual()
                && (type.textValue().isEmpty() || type.textValue().equals("application") || type.textValue().equals("library")))) {
            throw new InvalidChartException("Chart.yaml type must be application or library");
        }
        JsonNode appVersion = yaml.get("appVersion");
        if (appVersion != null && appVersion.isContainerNode()) {
            throw new InvalidChartException("Chart.yaml appVersion must be a scalar");
        }
        return new ChartMetadata(yaml, name, version, apiVersion, dependencies(yaml));
    }

    /** Strict SemVer 2.0.0, the form Helm publishes and OCI tags carry (with {@code +} as {@code _}). */
    public static boolean isSemVer(String version) {
        return version != null && version.length() <= 128 && Semver.isValid(version) && !version.startsWith("v");
    }

    /** A top-level string field, when present. */
    public Optional<String> text(String field) {
        JsonNode node = yaml.get(field);
        return node != null && node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static List<Dependency> dependencies(JsonNode yaml) throws InvalidChartException {
        JsonNode deps = yaml.get("dependencies");
        if (deps == null || deps.isNull()) {
            return List.of();
        }
        if (!deps.isArray()) {
            throw new InvalidChartException("Chart.yaml dependencies is not a list");
        }
        if (deps.size() > MAX_DEPENDENCIES) {
            throw new InvalidChartException("Chart.yaml has more than " + MAX_DEPENDENCIES + " dependencies");
        }
        List<Dependency> out = new ArrayList<>();
        for (JsonNode d : deps) {
            if (!d.isObject()) {
                throw new InvalidChartException("Chart.yaml dependency is not a mapping");
            }
            String name = d.path("name").isValueNode() ? d.path("name").asText("") : "";
            if (name.isEmpty()) {
                throw new InvalidChartException("Chart.yaml has a dependency without a name");
            }
            out.add(new Dependency(name, d.path("version").isValueNode() ? d.path("version").asText("") : "",
                    d.path("repository").isValueNode() ? d.path("repository").asText("") : ""));
        }
        return out;
    }

    private static String requiredString(JsonNode yaml, String field) throws InvalidChartException {
        JsonNode node = yaml.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidChartException("Chart.yaml has no " + field);
        }
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw new InvalidChartException("Chart.yaml " + field + " must be a non-empty string");
        }
        String value = node.textValue();
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))) {
            throw new InvalidChartException("Chart.yaml " + field + " contains control characters");
        }
        if (!value.equals(value.strip())) {
            throw new InvalidChartException("Chart.yaml " + field + " has leading or trailing space");
        }
        return value;
    }

    /** No control characters in any key or string (tab, CR, LF allowed), checked over the whole tree. */
    private static void checkText(JsonNode node, String where, int depth) throws InvalidChartException {
        if (node.isTextual()) {
            if (hasControl(node.textValue())) {
                throw new InvalidChartException(where + " contains control characters");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (hasControl(e.getKey()) || e.getKey().indexOf('\n') >= 0) {
                    throw new InvalidChartException(where + " has a key with control characters");
                }
                checkText(e.getValue(), where + "." + printable(e.getKey()), depth + 1);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                checkText(child, where, depth + 1);
            }
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
