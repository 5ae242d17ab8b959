package dev.akua.registry.http.v2;

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

import java.util.function.Predicate;

/**
 * The {@code /v2} API: matches the path to an endpoint ({@link V2Route}), validates the name and
 * reference against the spec grammar before anything touches storage, dispatches by method, and
 * turns every failure into the spec's error envelope.
 */
public final class V2Handler implements Handler {
    private final ManifestEndpoint manifests;
    private final BlobEndpoint blobs;
    private final UploadEndpoint uploads;
    private final DiscoveryEndpoint discovery;
    private final ErrorResponses errors;
    private final Predicate<RepositoryName> catalogVisible;

    public V2Handler(V2Context ctx, ErrorResponses errors) {
        this.manifests = new ManifestEndpoint(ctx);
        this.blobs = new BlobEndpoint(ctx);
        this.uploads = new UploadEndpoint(ctx, (req, source) -> true);
        this.discovery = new DiscoveryEndpoint(ctx);
        this.errors = errors;
        this.catalogVisible = repo -> true;
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

    private void dispatch(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        V2Route route = V2Route.match(path).orElseThrow(() ->
                OciException.of(ErrorCode.UNSUPPORTED, "no such endpoint: " + path).withStatus(404));
        String method = req.prologue().method().text();
        if (!route.allowedMethods().contains(method)) {
            throw OciException.of(ErrorCode.UNSUPPORTED, method + " is not supported on this endpoint")
                    .withHeader("Allow", String.join(", ", route.allowedMethods()));
        }
        switch (route.endpoint()) {
            case BASE -> {
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                Responses.send(req, res, "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            case CATALOG -> discovery.catalog(req, res, catalogVisible);
            case TAGS -> discovery.tags(req, res, RepositoryName.parse(route.name()));
            case REFERRERS -> discovery.referrers(req, res, RepositoryName.parse(route.name()), Digest.parse(route.reference()));
            case MANIFEST -> {
                RepositoryName repo = RepositoryName.parse(route.name());
                Reference ref = Reference.parse(route.reference());
                switch (method) {
                    case "GET", "HEAD" -> manifests.get(req, res, repo, ref);
                    case "PUT" -> manifests.put(req, res, repo, ref);
                    default -> manifests.delete(req, res, repo, ref);
                }
            }
            case BLOB -> {
                RepositoryName repo = RepositoryName.parse(route.name());
                Digest digest = Digest.parse(route.reference());
                if (method.equals("DELETE")) {
                    blobs.delete(req, res, repo, digest);
                } else {
                    blobs.get(req, res, repo, digest);
                }
            }
            case UPLOAD_START -> uploads.start(req, res, RepositoryName.parse(route.name()));
            case UPLOAD -> {
                RepositoryName repo = RepositoryName.parse(route.name());
                String id = route.reference();
                switch (method) {
                    case "GET" -> uploads.status(req, res, repo, id);
                    case "PATCH" -> uploads.patch(req, res, repo, id);
                    case "PUT" -> uploads.complete(req, res, repo, id);
                    default -> uploads.cancel(req, res, repo, id);
                }
            }
        }
    }
}
