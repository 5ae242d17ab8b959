package dev.akua.registry.feature.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.storage.gc.GcOptions;
import dev.akua.registry.storage.gc.UntaggedPolicy;
import dev.akua.registry.storage.retention.RepositoryGlob;
import dev.akua.registry.storage.retention.RetentionRule;
import dev.akua.registry.storage.retention.TagProtection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The maintenance settings: {@code gc.*}, {@code retention.*}, {@code scrub.*}, {@code purge.*},
 * {@code maintenance.*} (docs/storage.md). Intervals of zero mean "only on command".
 */
record MaintenanceConfig(Duration gcInterval, GcOptions gc, Duration retentionInterval, List<RetentionRule> rules,
                         List<ProtectRule> protect, Duration scrubInterval, Duration purgeInterval, Duration uploadMaxAge,
                         Duration leaseTtl, Duration leaseSettle) {
    /** Retention rules are at most this many (each is matched against every repository). */
    private static final int MAX_RULES = 1000;
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*([smhdw]?)");
    /** SemVer 2.0.0 (semver.org), optional leading v; OCI tags cannot hold '+', so '_' stands in for it (as Helm does). */
    private static final Pattern SEMVER = Pattern.compile("v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:[_+]([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    MaintenanceConfig {
        rules = List.copyOf(rules);
        protect = List.copyOf(protect);
    }

    /** A {@code retention.protect} entry: tags of matching repositories retention never removes. */
    record ProtectRule(RepositoryGlob repositories, Pattern tags) {
        ProtectRule {
            Objects.requireNonNull(repositories, "repositories");
            Objects.requireNonNull(tags, "tags");
        }

        boolean protects(RepositoryName repo, Tag tag) {
            return repositories.matches(repo) && tags.matcher(tag.value()).matches();
        }
    }

    /** The configured protections as one predicate. */
    TagProtection protection() {
        return (repo, tag) -> protect.stream().anyMatch(p -> p.protects(repo, tag));
    }

    static MaintenanceConfig from(RegistryConfig config) {
        Duration gcInterval = nonNegativeSeconds(config, "gc.intervalSeconds");
        Duration grace = nonNegativeSeconds(config, "gc.graceSeconds");
        UntaggedPolicy untagged;
        try {
            untagged = UntaggedPolicy.parse(config.value("gc.untagged"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("gc.untagged: " + e.getMessage());
        }
        Duration leaseTtl = nonNegativeSeconds(config, "maintenance.leaseTtlSeconds");
        Duration settle = Duration.ofMillis(config.longValue("maintenance.leaseSettleMillis"));
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || settle.isNegative() || settle.compareTo(leaseTtl) >= 0) {
            throw new ConfigException("maintenance.leaseTtlSeconds must be at least 1 and longer than maintenance.leaseSettleMillis");
        }
        return new MaintenanceConfig(gcInterval, new GcOptions(grace, untagged),
                nonNegativeSeconds(config, "retention.intervalSeconds"), rules(config.section("retention.rules")),
                protect(config.section("retention.protect")),
                nonNegativeSeconds(config, "scrub.intervalSeconds"), nonNegativeSeconds(config, "purge.intervalSeconds"),
                nonNegativeSeconds(config, "purge.uploadMaxAgeSeconds"), leaseTtl, settle);
    }

    private static Duration nonNegativeSeconds(RegistryConfig config, String key) {
        long v = config.longValue(key);
        if (v < 0) {
            throw new ConfigException(key + " must not be negative");
        }
        return Duration.ofSeconds(v);
    }

    static List<RetentionRule> rules(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_RULES) {
            throw new ConfigException("retention.rules must be a list of at most " + MAX_RULES + " rules");
        }
        List<RetentionRule> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode r = node.get(i);
            String where = "retention.rules[" + i + "]";
            strictFields(r, where, Set.of("repositories", "keepLast", "keepNewerThan", "keepMatching"));
            try {
                OptionalInt keepLast = r.has("keepLast") ? OptionalInt.of(intField(r.get("keepLast"), where + ".keepLast")) : OptionalInt.empty();
                Optional<Duration> newer = r.has("keepNewerThan") ? Optional.of(duration(r.get("keepNewerThan").asText(), where + ".keepNewerThan")) : Optional.empty();
                Optional<Pattern> matching = r.has("keepMatching") ? Optional.of(regex(r.get("keepMatching").asText(), where + ".keepMatching")) : Optional.empty();
                out.add(new RetentionRule(RepositoryGlob.parse(text(r, "repositories", where)), keepLast, newer, matching));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return out;
    }

    static List<ProtectRule> protect(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_RULES) {
            throw new ConfigException("retention.protect must be a list of at most " + MAX_RULES + " entries");
        }
        List<ProtectRule> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode r = node.get(i);
            String where = "retention.protect[" + i + "]";
            strictFields(r, where, Set.of("repositories", "tags"));
            String tags = text(r, "tags", where);
            try {
                out.add(new ProtectRule(RepositoryGlob.parse(text(r, "repositories", where)),
                        tags.equals("semver") ? SEMVER : regex(tags, where + ".tags")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void strictFields(JsonNode r, String where, Set<String> allowed) {
        if (!r.isObject()) {
            throw new ConfigException(where + " must be a mapping");
        }
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ConfigException(where + ": unknown field '" + f + "' (allowed: " + allowed + ")");
            }
        }
    }

    private static String text(JsonNode r, String field, String where) {
        JsonNode v = r.get(field);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new ConfigException(where + "." + field + " is required");
        }
        return v.asText();
    }

    private static int intField(JsonNode v, String where) {
        if (!v.canConvertToInt() || !v.isIntegralNumber() && !v.asText().matches("[0-9]{1,9}")) {
            throw new ConfigException(where + " must be a whole number");
        }
        return v.asInt();
    }

    private static Pattern regex(String value, String where) {
        if (value.length() > 1000) {
            throw new ConfigException(where + " is longer than 1000 characters");
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(where + ": invalid regular expression: " + e.getDescription());
        }
    }

    /** {@code 90}, {@code 45s}, {@code 30m}, {@code 12h}, {@code 30d}, {@code 2w}; a bare number is seconds. */
    static Duration duration(String value, String where) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new ConfigException(where + " must be a duration such as 45s, 30m, 12h, 30d or 2w, not '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
