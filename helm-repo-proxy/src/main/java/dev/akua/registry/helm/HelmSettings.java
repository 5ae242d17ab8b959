package dev.akua.registry.helm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.remote.RemoteCredentials;

/**
 * Configuration of Helm repositories: proxied upstreams, hosted namespaces, mirroring rules and
 * limits. Parsed strictly from the configuration's YAML trees ({@link #parse}): unknown fields,
 * duplicate names and unusable URLs are errors at start, not surprises at request time.
 */
public record HelmSettings(List<Upstream> upstreams, List<Hosted> hosted, List<MirrorRule> mirrors, Limits limits) {
    /** An upstream name is one repository-name component: it appears in {@code helm/<upstream>/<chart>}. */
    private static final Pattern UPSTREAM_NAME = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

    public HelmSettings {
        upstreams = List.copyOf(upstreams);
        hosted = List.copyOf(hosted);
        mirrors = List.copyOf(mirrors);
        Objects.requireNonNull(limits, "limits");
        Set<String> names = new HashSet<>();
        for (Upstream u : upstreams) {
            if (!names.add(u.name())) {
                throw new IllegalArgumentException("helm upstream `" + u.name() + "` is configured twice");
            }
        }
        Set<String> namespaces = new HashSet<>();
        for (Hosted h : hosted) {
            if (!namespaces.add(h.namespace())) {
                throw new IllegalArgumentException("helm hosted namespace `" + h.namespace() + "` is configured twice");
            }
        }
        for (MirrorRule m : mirrors) {
            if (!names.contains(m.upstream())) {
                throw new IllegalArgumentException("helm mirror rule names unknown upstream `" + m.upstream() + "`");
            }
        }
    }

    /**
     * A proxied classic Helm repository.
     *
     * @param name              the name in {@code /helm/<name>/…} and {@code helm/<name>/<chart>}
     * @param url               the repository URL, ending in {@code /} ({@code index.yaml} resolves against it)
     * @param credentials       sent to the repository's origin only, or null
     * @param allowedChartHosts hosts (optionally {@code *.suffix}, optionally {@code :port}) chart URLs may
     *                          point at besides the repository's own host
     */
    public record Upstream(String name, URI url, RemoteCredentials credentials, List<String> allowedChartHosts) {
        public Upstream {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            if (!UPSTREAM_NAME.matcher(name).matches() || name.length() > 64) {
                throw new IllegalArgumentException("helm upstream name `" + name
                        + "` must be lower-case letters and digits with . _ - separators (one repository-name component)");
            }
            if (name.equals("hosted")) {
                throw new IllegalArgumentException("helm upstream name `hosted` is reserved for /helm/hosted/…");
            }
            url = repositoryUrl(url.toString(), name);
            allowedChartHosts = List.copyOf(allowedChartHosts);
            for (String host : allowedChartHosts) {
                if (!HOST.matcher(host).matches()) {
                    throw new IllegalArgumentException("helm upstream `" + name + "`: not a host name: " + host);
                }
            }
        }

        public URI indexUrl() {
            return url.resolve("index.yaml");
        }

        /** Whether a chart URL of this repository may be fetched: the repository's own host, or an allowed one. */
        public boolean allowsChartHost(URI chart) {
            String host = chart.getHost() == null ? "" : chart.getHost().toLowerCase(Locale.ROOT);
            if (host.equals(url.getHost().toLowerCase(Locale.ROOT))) {
                return true;
            }
            for (String allowed : allowedChartHosts) {
                String a = allowed.toLowerCase(Locale.ROOT);
                String port = null;
                int colon = a.lastIndexOf(':');
                if (colon > 0) {
                    port = a.substring(colon + 1);
                    a = a.substring(0, colon);
                }
                boolean hostMatches = a.startsWith("*.") ? host.endsWith(a.substring(1)) : host.equals(a);
                if (hostMatches && (port == null || port.equals(String.valueOf(effectivePort(chart))))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return name + " (" + url + ")";
        }
    }

    /**
     * A hosted repository: charts pushed into {@code <namespace>/<chart>} (OCI) or uploaded to
     * {@code /helm/hosted/<namespace>/api/charts} are listed in {@code /helm/hosted/<namespace>/index.yaml}.
     *
     * @param namespace an OCI repository-name prefix, e.g. {@code charts} or {@code team/charts}
     */
    public record Hosted(String namespace) {
        public Hosted {
            Objects.requireNonNull(namespace, "namespace");
            if (!RepositoryName.isValid(namespace)) {
                throw new IllegalArgumentException("helm hosted namespace `" + namespace + "` is not a repository-name prefix");
            }
            if (namespace.equals("helm") || namespace.startsWith("helm/")) {
                throw new IllegalArgumentException("helm hosted namespace `" + namespace + "`: helm/… is where proxied upstreams live");
            }
        }

        /** The chart name if {@code repo} is {@code <namespace>/<chart>}. */
        public Optional<String> chartOf(RepositoryName repo) {
            String v = repo.value();
            if (v.length() > namespace.length() + 1 && v.startsWith(namespace + "/") && v.indexOf('/', namespace.length() + 1) < 0) {
                return Optional.of(v.substring(namespace.length() + 1));
            }
            return Optional.empty();
        }
    }

    /**
     * Charts to copy into the store for offline use.
     *
     * @param upstream the upstream name
     * @param chart    the chart name
     * @param versions which versions
     */
    public record MirrorRule(String upstream, String chart, VersionSelector versions) {
        public MirrorRule {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(chart, "chart");
            Objects.requireNonNull(versions, "versions");
            if (chart.isEmpty() || !chart.matches("[A-Za-z0-9._-]{1,250}")) {
                throw new IllegalArgumentException("helm mirror rule: not a chart name: " + chart);
            }
        }
    }

    /**
     * Bounds and timings.
     *
     * @param maxIndexBytes     largest upstream index.yaml
     * @param maxIndexVersions  most chart versions in one index
     * @param maxChartBytes     largest chart archive (compressed), upstream or uploaded
     * @param chart             archive validation limits (Helm's loader limits by default)
     * @param revalidateAfter   how long an upstream index is served before it is revalidated
     * @param hostedReload      how often a hosted index re-reads its entries (changes made by other replicas)
     * @param allowOverwrite    whether an upload may replace an existing chart version
     */
    public record Limits(long maxIndexBytes, int maxIndexVersions, long maxChartBytes, ChartReader.Limits chart,
                         Duration revalidateAfter, Duration hostedReload, boolean allowOverwrite) {
        public Limits {
            Objects.requireNonNull(chart, "chart");
            Objects.requireNonNull(revalidateAfter, "revalidateAfter");
            Objects.requireNonNull(hostedReload, "hostedReload");
            if (maxIndexBytes <= 0 || maxIndexVersions <= 0 || maxChartBytes <= 0) {
                throw new IllegalArgumentException("helm limits must be positive");
            }
            if (revalidateAfter.isNegative() || hostedReload.isNegative()) {
                throw new IllegalArgumentException("helm durations must not be negative");
            }
        }

        /** 64 MiB / 500k-version indexes revalidated after 5 min, 32 MiB charts, Helm's loader limits. */
        public static Limits defaults() {
            return new Limits(64L << 20, 500_000, 32L << 20, ChartReader.Limits.helm(), Duration.ofMinutes(5),
                    Duration.ofMinutes(1), false);
        }
    }

    public Optional<Upstream> upstream(String name) {
        return upstreams.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<Hosted> hostedNamespace(String namespace) {
        return hosted.stream().filter(h -> h.namespace().equals(namespace)).findFirst();
    }

    /**
     * Reads the configuration trees ({@code helm.upstreams}, {@code helm.hosted}, {@code helm.mirrors});
     * a missing tree is an empty list.
     *
     * @param environment resolves {@code passwordEnv}/{@code tokenEnv} variable names (secrets stay out of files)
     * @throws IllegalArgumentException naming the offending entry
     */
    public static HelmSettings parse(JsonNode upstreams, JsonNode hosted, JsonNode mirrors, Limits limits,
                                     Function<String, String> environment) {
        List<Upstream> ups = new ArrayList<>();
        for (JsonNode u : list(upstreams, "helm.upstreams")) {
            fields(u, "helm.upstreams", Set.of("name", "url", "username", "password", "passwordEnv", "token", "tokenEnv",
                    "allowedChartHosts"));
            String name = required(u, "name", "helm.upstreams");
            String where = "helm.upstreams[" + name + "]";
            ups.add(new Upstream(name, URI.create(required(u, "url", where).trim().replace(" ", "%20")),
                    credentials(u, where, environment), strings(u.get("allowedChartHosts"), where + ".allowedChartHosts")));
        }
        List<Hosted> hs = new ArrayList<>();
        for (JsonNode h : list(hosted, "helm.hosted")) {
            if (h.isTextual()) {
                hs.add(new Hosted(h.textValue()));
                continue;
            }
            fields(h, "helm.hosted", Set.of("namespace"));
            hs.add(new Hosted(required(h, "namespace", "helm.hosted")));
        }
        List<MirrorRule> ms = new ArrayList<>();
        for (JsonNode m : list(mirrors, "helm.mirrors")) {
            fields(m, "helm.mirrors", Set.of("upstream", "chart", "charts", "versions"));
            String upstream = required(m, "upstream", "helm.mirrors");
            VersionSelector versions = VersionSelector.parse(m.path("versions").asText("all"));
            List<String> charts = new ArrayList<>();
            if (m.hasNonNull("chart")) {
                charts.add(m.get("chart").asText());
            }
            charts.addAll(strings(m.get("charts"), "helm.mirrors.charts"));
            if (charts.isEmpty()) {
                throw new IllegalArgumentException("helm.mirrors entry for `" + upstream + "` names no chart");
            }
            for (String chart : charts) {
                ms.add(new MirrorRule(upstream, chart, versions));
            }
        }
        return new HelmSettings(ups, hs, ms, limits);
    }

    private static RemoteCredentials credentials(JsonNode u, String where, Function<String, String> env) {
        String password = secret(u, "password", "passwordEnv", where, env);
        String token = secret(u, "token", "tokenEnv", where, env);
        if (u.hasNonNull("username")) {
            if (password == null) {
                throw new IllegalArgumentException(where + ": username without password or passwordEnv");
            }
            return RemoteCredentials.basic(u.get("username").asText(), password);
        }
        if (password != null) {
            throw new IllegalArgumentException(where + ": password without username");
        }
        return token == null ? null : RemoteCredentials.bearer(token);
    }

    private static String secret(JsonNode u, String literal, String variable, String where, Function<String, String> env) {
        if (u.hasNonNull(variable)) {
            String name = u.get(variable).asText();
            String value = env.apply(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(where + ": environment variable " + name + " is not set");
            }
            return value;
        }
        return u.hasNonNull(literal) ? u.get(literal).asText() : null;
    }

    static URI repositoryUrl(String text, String name) {
        try {
            String t = text.trim();
            while (t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
            URI uri = new URI(t + "/");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(text, "a repository URL may not carry a query, fragment or credentials");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("helm upstream `" + name + "`: unusable url: " + e.getMessage());
        }
    }

    static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
    }

    private static List<JsonNode> list(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static void fields(JsonNode node, String where, Set<String> known) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " entries must be mappings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown field `" + key + "` (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static String required(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": `" + field + "` is required");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list(node, where)) {
            if (!n.isValueNode()) {
                throw new IllegalArgumentException(where + " must be a list of strings");
            }
            out.add(n.asText());
        }
        return out;
    }
}
