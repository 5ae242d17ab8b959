package dev.akua.registry.http.v2;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.extension.RequiredAccess.Action;
import dev.akua.registry.http.ErrorResponses;
import dev.akua.registry.http.V2Route;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * The {@code /v2} API: matches the path to an endpoint ({@link V2Route}), validates the name and
 * reference against the spec grammar before anything touches storage, asks the access gate for the
 * access the endpoint needs, dispatches by method, and turns every failure into the spec's error
 * envelope.
 */
public final class V2Handler implements Handler {
    private final V2Context ctx;
    private final ManifestEndpoint manifests;
    private final BlobEndpoint blobs;
    private final UploadEndpoint uploads;
    private final DiscoveryEndpoint discovery;
    private final ErrorResponses errors;

    public V2Handler(V2Context ctx, ErrorResponses errors) {
        this.ctx = ctx;
        this.manifests = new ManifestEndpoint(ctx);
        this.blobs = new BlobEndpoint(ctx);
        this.uploads = new UploadEndpoint(ctx);
        this.discovery = new DiscoveryEndpoint(ctx);
        this.errors = errors;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        // Docker clients look for this on /v2/ to recognise a v2 registry.
        res.header(HeaderNames.create("Docker-Distribution-API-Version"), "registry/2.0");
        try {
            dispatch(req, res);
        } catch (Exception e) {
            errors.write(req, res, e);
        }
    }

    /** The access an endpoint and method need, in token-scope terms (what a Docker token endpoint grants). */
    static List<RequiredAccess> requiredAccess(V2Route route, String method) {
        return switch (route.endpoint()) {
            case BASE -> List.of();
            case CATALOG -> List.of(RequiredAccess.catalog());
            case TAGS, REFERRERS -> List.of(RequiredAccess.repository(route.name(), Action.PULL));
            case MANIFEST -> switch (method) {
                case "PUT" -> List.of(RequiredAccess.repository(route.name(), Action.PUSH));
                case "DELETE" -> List.of(RequiredAccess.repository(route.name(), Action.DELETE));
                default -> List.of(RequiredAccess.repository(route.name(), Action.PULL));
            };
            case BLOB -> List.of(RequiredAccess.repository(route.name(),
                    method.equals("DELETE") ? Action.DELETE : Action.PULL));
            case UPLOAD_START, UPLOAD -> List.of(RequiredAccess.repository(route.name(), Action.PUSH));
        };
    }

    private void dispatch(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        V2Route route = V2Route.match(path).orElseThrow(() ->
                OciException.of(ErrorCode.UNSUPPORTED, "no such endpoint: " + path).withStatus(404));
        String method = req.prologue().method().text();
        if (!route.allowedMethods().contains(method)) {
            throw OciException.of(ErrorCode.UNSUPPORTED, method + " is not supported on this endpoint")
                    .withHeader("Allow", String.join(", ", route.allowedMethods()));
        }
        // Names are checked before the gate sees them, so scopes and storage only ever get valid names.
        RepositoryName repo = route.name() == null ? null : RepositoryName.parse(route.name());
        Caller caller = ctx.hooks().gate().authorize(req, requiredAccess(route, method));
        switch (route.endpoint()) {
            case BASE -> {
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                Responses.send(req, res, "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            case CATALOG -> discovery.catalog(req, res, ctx.hooks().gate().catalogFilter(caller));
            case TAGS -> discovery.tags(req, res, caller, repo);
            case REFERRERS -> discovery.referrers(req, res, repo, Digest.parse(route.reference()));
            case MANIFEST -> {
                Reference ref = Reference.parse(route.reference());
                switch (method) {
                    case "GET", "HEAD" -> manifests.get(req, res, caller, repo, ref);
                    case "PUT" -> manifests.put(req, res, caller, repo, ref);
                    default -> manifests.delete(req, res, caller, repo, ref);
                }
            }
            case BLOB -> {
                Digest digest = Digest.parse(route.reference());
                if (method.equals("DELETE")) {
                    blobs.delete(req, res, caller, repo, digest);
                } else {
                    blobs.get(req, res, caller, repo, digest);
                }
            }
            case UPLOAD_START -> uploads.start(req, res, caller, repo);
            case UPLOAD -> {
                String id = route.reference();
                switch (method) {
                    case "GET" -> uploads.status(req, res, repo, id);
                    case "PATCH" -> uploads.patch(req, res, repo, id);
                    case "PUT" -> uploads.complete(req, res, caller, repo, id);
                    default -> uploads.cancel(req, res, repo, id);
                }
            }
        }
    }
}
