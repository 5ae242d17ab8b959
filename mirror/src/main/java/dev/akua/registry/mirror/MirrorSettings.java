package dev.akua.registry.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.remote.oci.LoginFields;
import dev.akua.registry.remote.oci.RegistryLogin;
import dev.akua.registry.signing.RepositoryPattern;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code mirror.upstreams} and {@code mirror.rules} configuration sections, validated strictly:
 * unknown fields, duplicate names, overlapping prefixes and rules naming unknown upstreams are
 * errors (an {@link IllegalArgumentException} naming the path, e.g. {@code mirror.rules[1].tags}).
 * Secrets are never written into the file: {@code passwordEnv}/{@code tokenEnv} name an environment
 * variable, {@code passwordFile}/{@code tokenFile} a file.
 *
 * <pre>
 * mirror:
 *   upstreams:
 *     - name: ghcr
 *       url: https://ghcr.io
 *       prefix: mirror/ghcr.io
 *       username: bot                 # with passwordEnv or passwordFile; or tokenEnv/tokenFile alone
 *       passwordEnv: GHCR_PASSWORD
 *       pullThrough: true             # default true
 *       tagTtlSeconds: 300            # default 300
 *   rules:
 *     - name: base-images
 *       upstream: ghcr
 *       repositories: [acme/app, "acme/tools/*"]
 *       tags: ["v*"]                  # glob patterns, default all
 *       semver: "&gt;=1.2.0 &lt;2"          # optional
 *       onlySigned: false
 *       policy: release               # optional trust policy name
 *       signatures: true              # .sig/.att/.sbom sidecars, default true
 *       referrers: true               # OCI 1.1 referrers, default true
 *       intervalSeconds: 3600         # 0 (default): only on command
 * </pre>
 */
public record MirrorSettings(List<Upstream> upstreams, List<MirrorRule> rules) {
    private static final Set<String> UPSTREAM_FIELDS = withLogin("name", "url", "prefix", "pullThrough", "tagTtlSeconds");
    private static final Set<String> RULE_FIELDS = Set.of("name", "upstream", "repositories", "tags", "semver", "onlySigned", "policy",
            "signatures", "referrers", "intervalSeconds");

    public MirrorSettings {
        upstreams = List.copyOf(upstreams);
        rules = List.copyOf(rules);
    }

    public static MirrorSettings none() {
        return new MirrorSettings(List.of(), List.of());
    }

    public Optional<Upstream> upstream(String name) {
        return upstreams.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<MirrorRule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The upstream whose prefix holds a local repository. */
    public Optional<Upstream> upstreamFor(RepositoryName local) {
        return upstreams.stream().filter(u -> u.upstreamName(local).isPresent()).findFirst();
    }

    /**
     * @param environment how {@code passwordEnv}/{@code tokenEnv} are looked up (the process environment in production)
     * @param baseDir     what relative {@code passwordFile}/{@code tokenFile} names resolve against
     */
    public static MirrorSettings parse(JsonNode upstreamsNode, JsonNode rulesNode, Function<String, String> environment, Path baseDir) {
        List<Upstream> upstreams = new ArrayList<>();
        for (JsonNode u : array(upstreamsNode, "mirror.upstreams")) {
            String at = "mirror.upstreams[" + upstreams.size() + "]";
            upstreams.add(upstream(u, at, environment, baseDir));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < upstreams.size(); i++) {
            Upstream a = upstreams.get(i);
            if (!names.add(a.name())) {
                throw new IllegalArgumentException("mirror.upstreams[" + i + "].name: '" + a.name() + "' is used twice");
            }
            for (int j = 0; j < i; j++) {
                String p = a.prefix().value();
                String q = upstreams.get(j).prefix().value();
                if (p.equals(q) || p.startsWith(q + "/") || q.startsWith(p + "/")) {
                    throw new IllegalArgumentException("mirror.upstreams[" + i + "].prefix: '" + p + "' overlaps the prefix of upstream '"
                            + upstreams.get(j).name() + "'");
                }
            }
        }
        List<MirrorRule> rules = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        for (JsonNode r : array(rulesNode, "mirror.rules")) {
            String at = "mirror.rules[" + rules.size() + "]";
            MirrorRule rule = rule(r, at);
            if (!names.contains(rule.upstream())) {
                throw new IllegalArgumentException(at + ".upstream: no upstream named '" + rule.upstream() + "'");
            }
            if (!ruleNames.add(rule.name())) {
                throw new IllegalArgumentException(at + ".name: '" + rule.name() + "' is used twice");
            }
            rules.add(rule);
        }
        return new MirrorSettings(upstreams, rules);
    }

    private static Upstream upstream(JsonNode u, String at, Function<String, String> environment, Path baseDir) {
        allowOnly(u, at, UPSTREAM_FIELDS);
        String name = text(u, "name", at, true);
        URI url;
        try {
            url = URI.create(text(u, "url", at, true).replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".url: not a URL", e);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null
                || (url.getRawPath() != null && !url.getRawPath().isEmpty()) || url.getRawUserInfo() != null || url.getRawQuery() != null) {
            throw new IllegalArgumentException(at + ".url: give http(s)://host[:port], without path or credentials");
        }
        RepositoryName prefix;
        try {
            prefix = RepositoryName.parse(text(u, "prefix", at, true));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(at + ".prefix: not a repository name (lower-case path such as mirror/ghcr.io)", e);
        }
        RegistryLogin login = LoginFields.read(u, at, environment, baseDir);
        boolean pullThrough = bool(u, "pullThrough", at, true);
        long ttl = number(u, "tagTtlSeconds", at, 300);
        try {
            return new Upstream(name, url, login, prefix, pullThrough, Duration.ofSeconds(ttl));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static MirrorRule rule(JsonNode r, String at) {
        allowOnly(r, at, RULE_FIELDS);
        String name = text(r, "name", at, true);
        String upstream = text(r, "upstream", at, true);
        List<RepositoryPattern> repositories = new ArrayList<>();
        for (String s : strings(r, "repositories", at, true)) {
            try {
                repositories.add(RepositoryPattern.parse(s));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".repositories: " + e.getMessage(), e);
            }
        }
        TagFilter tags;
        try {
            tags = TagFilter.of(strings(r, "tags", at, false), text(r, "semver", at, false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".tags/semver: " + e.getMessage(), e);
        }
        try {
            return new MirrorRule(name, upstream, repositories, tags, bool(r, "onlySigned", at, false), text(r, "policy", at, false),
                    bool(r, "signatures", at, true), bool(r, "referrers", at, true), Duration.ofSeconds(number(r, "intervalSeconds", at, 0)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> withLogin(String... fields) {
        Set<String> all = new HashSet<>(Set.of(fields));
        all.addAll(LoginFields.NAMES);
        return Set.copyOf(all);
    }

    private static Iterable<JsonNode> array(JsonNode node, String at) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(at + " must be a list");
        }
        if (node.size() > 1000) {
            throw new IllegalArgumentException(at + " has more than 1000 entries");
        }
        for (JsonNode e : node) {
            if (!e.isObject()) {
                throw new IllegalArgumentException(at + " entries must be mappings");
            }
        }
        return node;
    }

    private static void allowOnly(JsonNode node, String at, Set<String> fields) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException(at + ": unknown field '" + f + "' (known: " + String.join(", ", fields.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String at, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + "." + field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 4096) {
            throw new IllegalArgumentException(at + "." + field + " must be a non-empty string");
        }
        return v.asText().strip();
    }

    private static List<String> strings(JsonNode node, String field, String at, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + "." + field + " is required");
            }
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.asText().strip());
        }
        if (!v.isArray() || v.size() > 1000) {
            throw new IllegalArgumentException(at + "." + field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(at + "." + field + " must be a list of strings");
            }
            out.add(e.asText().strip());
        }
        if (required && out.isEmpty()) {
            throw new IllegalArgumentException(at + "." + field + " must not be empty");
        }
        return out;
    }

    private static boolean bool(JsonNode node, String field, String at, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(at + "." + field + " must be true or false");
        }
        return v.booleanValue();
    }

    private static long number(JsonNode node, String field, String at, long fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 366L * 24 * 3600) {
            throw new IllegalArgumentException(at + "." + field + " must be a whole number of seconds (0 to one year)");
        }
        return v.asLong();
    }
}
