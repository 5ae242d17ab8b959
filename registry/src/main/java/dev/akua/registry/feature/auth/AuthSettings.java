package dev.akua.registry.feature.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.auth.AuthConfig;
import dev.akua.registry.auth.throttle.LoginThrottle;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The auth module's {@link AuthConfig} built from the registry configuration: the scalar
 * {@code auth.*} keys ({@code ConfigKeys}) and the structured sections {@code auth.groups},
 * {@code auth.admins}, {@code auth.permissions} and {@code auth.immutableTags}, validated
 * strictly (an unknown field or a wrong type is a configuration error naming the key, not a
 * silently ignored rule). Files default to {@code <storage.filesystem.root>/auth/…}. Without an
 * {@code auth.immutableTags} section, tags are immutable by the auth module's default (semver)
 * only when auth is on; configured rules apply either way. Used by the
 * feature and by the CLI commands, so both read the same files.
 *
 * @param config    the auth module's settings
 * @param realm     where challenges send clients: {@code auth.realm}, or {@code http.publicUrl}
 *                  + {@code /token}, or empty (derived from each request's {@code Host})
 * @param fallbackRealm the realm used when a request gives no usable origin: the listen address
 */
public record AuthSettings(AuthConfig config, Optional<URI> realm, URI fallbackRealm) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd]?)");

    /**
     * @throws ConfigException for any invalid setting, naming it
     */
    public static AuthSettings from(RegistryConfig registry) {
        try {
            return build(registry);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    private static AuthSettings build(RegistryConfig registry) {
        Path data = registry.storage().filesystemRoot();
        boolean enabled = registry.boolValue("auth.enabled");
        AuthConfig.Builder b = AuthConfig.builder(data)
                .enabled(enabled)
                .service(registry.value("auth.service").trim())
                .issuer(registry.value("auth.issuer").trim())
                .tokenLifetime(duration(registry, "auth.tokenLifetime"))
                .bcryptCost(registry.intValue("auth.bcryptCost"));

        Optional<URI> realm = Optional.empty();
        String configured = registry.value("auth.realm").trim();
        if (!configured.isEmpty()) {
            realm = Optional.of(uri(configured, "auth.realm"));
        } else if (!registry.http().publicUrl().isEmpty()) {
            realm = Optional.of(uri(registry.http().publicUrl() + "/token", "http.publicUrl"));
        }
        URI fallback = listenRealm(registry);
        b.realm(realm.orElse(fallback));

        path(registry, "auth.signingKey").ifPresent(b::signingKeyFile);
        path(registry, "auth.usersFile").ifPresent(b::usersFile);
        path(registry, "auth.tokensFile").ifPresent(b::tokensFile);
        String audit = registry.value("auth.auditLog").trim();
        if (audit.equalsIgnoreCase("off")) {
            b.auditLog(Optional.empty());
        } else if (!audit.isEmpty()) {
            b.auditLog(Optional.of(Path.of(audit)));
        }
        b.throttle(new LoginThrottle.Limits(
                registry.intValue("auth.throttle.maxFailuresPerAddress"),
                registry.intValue("auth.throttle.maxFailuresPerUser"),
                duration(registry, "auth.throttle.window"),
                registry.intValue("auth.throttle.maxTracked")));

        groups(registry.section("auth.groups")).forEach(b::group);
        strings(registry.section("auth.admins"), "auth.admins").forEach(b::admin);
        permissions(registry.section("auth.permissions"), b);
        JsonNode immutable = registry.section("auth.immutableTags");
        if (!immutable.isMissingNode()) {
            b.immutableTags(immutableTags(immutable));
        } else if (!enabled) {
            // Open (the quick start): tags move as in any registry unless rules are configured;
            // locking down brings the default (semver tags immutable) with it.
            b.immutableTags(List.of());
        }
        return new AuthSettings(b.build(), realm, fallback);
    }

    /** {@code http://<listen host>:<port>/token}; a wildcard listen address is written as {@code localhost}. */
    private static URI listenRealm(RegistryConfig registry) {
        String host = registry.http().host().trim();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri("http://" + host + ":" + registry.http().port() + "/token", "http.host");
    }

    private static URI uri(String text, String key) {
        try {
            URI u = new URI(text);
            if (!u.isAbsolute() || u.getHost() == null) {
                throw new ConfigException(key + " must give an absolute http(s) URL for the token endpoint, not '" + text + "'");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key + " is not a valid URL: " + text, e);
        }
    }

    private static Optional<Path> path(RegistryConfig registry, String key) {
        String v = registry.value(key).trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v));
    }

    /** {@code 90s}, {@code 30m}, {@code 1h}, {@code 1d}, or a bare number of seconds. */
    static Duration duration(RegistryConfig registry, String key) {
        String v = registry.value(key).trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new ConfigException(key + " must be a duration such as 90s, 30m, 1h or 1d, not '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static Map<String, List<String>> groups(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new ConfigException("auth.groups must map group names to lists of members");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), strings(e.getValue(), "auth.groups." + e.getKey()));
        }
        return out;
    }

    private static void permissions(JsonNode node, AuthConfig.Builder b) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isArray()) {
            throw new ConfigException("auth.permissions must be a list of {repository, grants} rules");
        }
        int i = 0;
        for (JsonNode rule : node) {
            String where = "auth.permissions[" + i++ + "]";
            onlyFields(rule, where, Set.of("repository", "grants"));
            String repository = text(rule.get("repository"), where + ".repository");
            JsonNode grants = rule.get("grants");
            if (grants == null || !grants.isObject()) {
                throw new ConfigException(where + ".grants must map subjects (anonymous, authenticated, user:…, group:…, robot:…) to actions");
            }
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> g : grants.properties()) {
                map.put(g.getKey(), actions(g.getValue(), where + ".grants." + g.getKey()));
            }
            b.permission(repository, map);
        }
    }

    private static List<AuthConfig.ImmutableTags> immutableTags(JsonNode node) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("auth.immutableTags must be a list of {repository, tags} rules ([] for none)");
        }
        List<AuthConfig.ImmutableTags> out = new ArrayList<>();
        int i = 0;
        for (JsonNode rule : node) {
            String where = "auth.immutableTags[" + i++ + "]";
            onlyFields(rule, where, Set.of("repository", "tags"));
            out.add(new AuthConfig.ImmutableTags(text(rule.get("repository"), where + ".repository"),
                    text(rule.get("tags"), where + ".tags")));
        }
        return out;
    }

    /** A list of action names, or one string of them separated by commas or spaces. */
    private static List<String> actions(JsonNode node, String where) {
        if (node != null && node.isTextual()) {
            List<String> out = new ArrayList<>();
            for (String a : node.asText().split("[,\\s]+")) {
                if (!a.isEmpty()) {
                    out.add(a);
                }
            }
            return out;
        }
        return strings(node, where);
    }

    private static List<String> strings(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new ConfigException(where + " must be a list of strings");
        }
        for (JsonNode n : node) {
            out.add(text(n, where));
        }
        return out;
    }

    private static String text(JsonNode node, String where) {
        if (node == null || !node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            throw new ConfigException(where + " must be a non-empty string");
        }
        return node.asText().trim();
    }

    private static void onlyFields(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw new ConfigException(where + " must be a mapping with " + allowed);
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                throw new ConfigException(where + ": unknown field '" + e.getKey() + "' (expected " + allowed + ")");
            }
        }
    }
}
