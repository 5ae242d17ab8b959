package dev.akua.registry.feature.helm;

import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.extension.RequiredAccess.Action;
import dev.akua.registry.helm.HelmRepositories;
import dev.akua.registry.helm.IndexDocument;
import dev.akua.registry.helm.PreparedChart;
import dev.akua.registry.helm.StoredChart;
import dev.akua.registry.http.ClientBodies;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classic Helm repository routes. Thin: match the path, ask the access gate (pull for reads,
 * push for uploads, on the repository the chart lives in), call {@link HelmRepositories}, write.
 * <pre>
 * GET  /helm/&lt;upstream&gt;/index.yaml                 proxied index, chart URLs rewritten to charts/…
 * GET  /helm/&lt;upstream&gt;/charts/&lt;chart&gt;-&lt;version&gt;.tgz  the archive, from the content store
 * GET  /helm/hosted/&lt;namespace&gt;/index.yaml          hosted index (absolute chart URLs)
 * GET  /helm/hosted/&lt;namespace&gt;/charts/&lt;file&gt;.tgz   hosted archive
 * POST /helm/hosted/&lt;namespace&gt;/api/charts          ChartMuseum-style upload (raw .tgz or multipart "chart")
 * </pre>
 * Every error is the registry's JSON error envelope.
 */
final class HelmRoutes implements Handler {
    private static final Pattern HOSTED = Pattern.compile("/helm/hosted/(.+)/(index\\.yaml|api/charts|charts/([^/]+))");
    private static final Pattern UPSTREAM = Pattern.compile("/helm/([^/]+)/(index\\.yaml|charts/([^/]+))");
    private static final Pattern HOST_HEADER = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:[0-9]{1,5})?");
    private static final int COPY_BUFFER = 64 * 1024;

    private final HelmRepositories repositories;
    private final Supplier<AccessGate> gate;
    private final FeatureContext ctx;

    HelmRoutes(HelmRepositories repositories, Supplier<AccessGate> gate, FeatureContext ctx) {
        this.repositories = repositories;
        this.gate = gate;
        this.ctx = ctx;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            dispatch(req, res);
        } catch (Exception e) {
            ctx.errors().write(req, res, e);
        }
    }

    private void dispatch(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        String method = req.prologue().method().text();
        Matcher hosted = HOSTED.matcher(path);
        if (hosted.matches()) {
            String namespace = hosted.group(1);
            repositories.hostedNamespace(namespace);
            switch (hosted.group(2)) {
                case "index.yaml" -> {
                    allow(method, "GET", "HEAD");
                    authorize(req, RequiredAccess.repository(namespace, Action.PULL));
                    sendIndex(req, res, repositories.hostedIndex(namespace, baseUrl(req)));
                }
                case "api/charts" -> {
                    allow(method, "POST");
                    upload(req, res, namespace);
                }
                default -> {
                    allow(method, "GET", "HEAD");
                    String file = hosted.group(3);
                    RepositoryName repo = chartRepository(namespace, file);
                    authorize(req, RequiredAccess.repository(repo.value(), Action.PULL));
                    StoredChart chart = repositories.hostedChart(namespace, file).orElseThrow(() -> notFound(file));
                    sendChart(req, res, chart, file);
                }
            }
            return;
        }
        Matcher upstream = UPSTREAM.matcher(path);
        if (upstream.matches()) {
            String name = upstream.group(1);
            repositories.upstream(name);
            allow(method, "GET", "HEAD");
            if (upstream.group(2).equals("index.yaml")) {
                authorize(req, RequiredAccess.repository("helm/" + name, Action.PULL));
                sendIndex(req, res, repositories.upstreamIndex(name));
            } else {
                String file = upstream.group(3);
                String scope = repositories.upstreamChartRepository(name, file).map(RepositoryName::value).orElse("helm/" + name);
                authorize(req, RequiredAccess.repository(scope, Action.PULL));
                sendChart(req, res, repositories.upstreamChart(name, file), file);
            }
            return;
        }
        throw OciException.of(ErrorCode.NAME_UNKNOWN, "no helm repository route " + path).withStatus(404);
    }

    private void upload(ServerRequest req, ServerResponse res, String namespace) {
        // Authenticate before reading a body of up to helm.maxChartBytes; push rights are checked
        // once the archive names its chart (and so the repository it goes to).
        gate.get().authorize(req, List.of());
        try (PreparedChart chart = repositories.prepareUpload(ClientBodies.of(req),
                req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null))) {
            RepositoryName repo = repositories.hostedRepository(namespace, chart.name());
            Caller caller = gate.get().authorize(req, List.of(RequiredAccess.repository(repo.value(), Action.PUSH)));
            Tag tag = new Tag(chart.tag());
            gate.get().checkTagWrite(caller, repo, tag, ctx.storage().tags().resolve(repo, tag), chart.manifestDigest());
            StoredChart stored = repositories.publish(namespace, chart);
            ctx.service(AuditTrail.class).orElse(AuditTrail.NONE).record("helm-upload", caller, repo.value(),
                    stored.manifest().toString(), Map.of("chart", chart.name(), "version", chart.version()));
            res.status(Status.CREATED_201);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.LOCATION, ctx.urls().manifest(repo, stored.manifest()));
            res.send("{\"saved\":true}".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private RepositoryName chartRepository(String namespace, String file) {
        int dash = file.indexOf('-');
        String chart = dash > 0 ? file.substring(0, dash) : file;
        // The exact chart (names may hold dashes) is known once the file is resolved; pull on the
        // namespace's repository of the first name segment is what the scope can name beforehand.
        return repositories.hostedChart(namespace, file)
                .map(StoredChart::repository)
                .orElseGet(() -> RepositoryName.isValid(namespace + "/" + chart) ? new RepositoryName(namespace + "/" + chart)
                        : new RepositoryName(namespace));
    }

    private Caller authorize(ServerRequest req, RequiredAccess access) {
        return gate.get().authorize(req, List.of(access));
    }

    private static void allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw OciException.of(ErrorCode.UNSUPPORTED, method + " is not supported on this route")
                .withHeader("Allow", String.join(", ", allowed));
    }

    private static void sendIndex(ServerRequest req, ServerResponse res, IndexDocument index) {
        res.header(HeaderNames.CONTENT_TYPE, "application/x-yaml");
        res.header(HeaderNames.ETAG, index.etag());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        if (index.stale()) {
            // RFC 9111 §5.5 is obsolete, so the fact is stated in a header of our own.
            res.header("Akua-Helm-Index", "stale; upstream unreachable, last good copy");
        }
        if (notModified(req, index.etag())) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(index.bytes().length));
        if (req.prologue().method().text().equals("HEAD")) {
            res.send();
        } else {
            res.send(index.bytes());
        }
    }

    private void sendChart(ServerRequest req, ServerResponse res, StoredChart chart, String file) {
        String etag = "\"" + chart.layer() + "\"";
        res.header(HeaderNames.CONTENT_TYPE, "application/gzip");
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.create("Docker-Content-Digest"), chart.layer().toString());
        // Content-addressed: the bytes behind this name never change while the index names the same digest.
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        if (notModified(req, etag)) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(chart.size()));
        if (req.prologue().method().text().equals("HEAD")) {
            res.send();
            return;
        }
        try (InputStream in = repositories.open(chart); OutputStream out = res.outputStream()) {
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (!res.isSent()) {
                throw OciException.of(ErrorCode.UNAVAILABLE, "reading " + file + " failed: " + e.getMessage());
            }
            // The client sees a short body against the Content-Length it was promised.
        }
    }

    private static boolean notModified(ServerRequest req, String etag) {
        return req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(etag)).orElse(false);
    }

    /** Where absolute chart URLs of hosted indexes point: {@code http.publicUrl}, else this request's Host. */
    private String baseUrl(ServerRequest req) {
        String configured = ctx.config().http().publicUrl();
        if (!configured.isEmpty()) {
            return configured;
        }
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        if (!HOST_HEADER.matcher(host).matches()) {
            throw OciException.of(ErrorCode.NAME_INVALID, "cannot build chart URLs: set http.publicUrl or send a valid Host header");
        }
        return (req.isSecure() ? "https://" : "http://") + host;
    }

    private static OciException notFound(String file) {
        return OciException.of(ErrorCode.BLOB_UNKNOWN, "no chart file " + file).withStatus(404);
    }
}
