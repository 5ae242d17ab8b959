package dev.akua.registry.http.v2;

import dev.akua.registry.extension.Caller;
import dev.akua.registry.http.ClientBodies;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.upload.ChunkRange;
import dev.akua.registry.storage.upload.UploadState;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.InputStream;
import java.util.Optional;

/**
 * Blob uploads (distribution-spec "Pushing blobs"): POST to start (end-4a), with {@code ?digest=}
 * for a single-request upload (end-4b), with {@code ?digest-algorithm=} (end-4c) or with
 * {@code ?mount=&from=} (end-11); PATCH chunks (end-5); PUT to close (end-6); GET status (end-13);
 * DELETE to cancel (end-14).
 *
 * <p>akua 0.8.5 (akua-wire-contract.md §1.3): POST with {@code Content-Length: 0} and no
 * Content-Type, then one PUT of the whole blob to the Location with {@code digest=sha256:<hex>}
 * appended (literal colon) — only 201/202 count as success, so the closing PUT answers 201.
 */
final class UploadEndpoint {
    private final V2Context ctx;

    UploadEndpoint(V2Context ctx) {
        this.ctx = ctx;
    }

    void start(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo) {
        Optional<String> mount = req.query().first("mount").asOptional();
        Optional<String> from = req.query().first("from").asOptional();
        if (mount.isPresent() && from.isPresent()) {
            Digest digest = Digest.parse(mount.get());
            RepositoryName source = RepositoryName.parse(from.get());
            // ARCHITECTURE.md rule 7: a mount needs pull on its source, else it is an ordinary upload.
            if (ctx.hooks().gate().mayPull(caller, source) && ctx.storage().mount(repo, digest, source)) {
                ctx.notify(l -> l.blobPushed(caller, repo, digest));
                res.status(Status.CREATED_201);
                res.header(HeaderNames.LOCATION, ctx.urls().blob(repo, digest));
                res.header(Responses.DOCKER_CONTENT_DIGEST, digest.toString());
                Responses.sendEmpty(res);
                return;
            }
            // Not mountable (absent, or the caller may not read the source): an ordinary upload
            // session, as the spec asks ("SHOULD return a 202").
        }
        Optional<String> digestParam = req.query().first("digest").asOptional();
        if (digestParam.isPresent()) {
            Digest digest = Digest.parse(digestParam.get());
            UploadState state = ctx.storage().uploads().start(repo, digest.algorithm());
            InputStream body = ClientBodies.of(req);
            long length = req.headers().contentLength().orElse(-1);
            ctx.storage().uploads().complete(repo, state.id(), digest, body, null, length);
            ctx.notify(l -> l.blobPushed(caller, repo, digest));
            created(res, repo, digest);
            return;
        }
        DigestAlgorithm algorithm = req.query().first("digest-algorithm").asOptional()
                .map(DigestAlgorithm::parse).orElse(DigestAlgorithm.SHA256);
        UploadState state = ctx.storage().uploads().start(repo, algorithm);
        res.status(Status.ACCEPTED_202);
        session(res, state);
        if (ctx.storage().driver() instanceof dev.akua.registry.storage.driver.ChunkSizeHint hint) {
            // distribution-spec "Pushing a blob in chunks": the smallest chunk the storage handles well
            res.header(HeaderNames.create("OCI-Chunk-Min-Length"), String.valueOf(hint.minimumChunkBytes()));
        }
        Responses.sendEmpty(res);
    }

    void status(ServerRequest req, ServerResponse res, RepositoryName repo, String id) {
        UploadState state = ctx.storage().uploads().status(repo, id);
        res.status(Status.NO_CONTENT_204);
        session(res, state);
        res.send();
    }

    void patch(ServerRequest req, ServerResponse res, RepositoryName repo, String id) {
        ChunkRange range = req.headers().first(HeaderNames.CONTENT_RANGE).map(ChunkRange::parse).orElse(null);
        long length = req.headers().contentLength().orElse(-1);
        UploadState state = ctx.storage().uploads().append(repo, id, ClientBodies.of(req), range, length);
        res.status(Status.ACCEPTED_202);
        session(res, state);
        Responses.sendEmpty(res);
    }

    void complete(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo, String id) {
        String digestParam = req.query().first("digest").asOptional()
                .orElseThrow(() -> OciException.of(ErrorCode.DIGEST_INVALID, "the closing PUT needs ?digest=<digest of the whole blob>"));
        Digest digest = Digest.parse(digestParam);
        InputStream body = null;
        ChunkRange range = null;
        long length = -1;
        if (ClientBodies.hasBody(req)) {
            body = ClientBodies.of(req);
            range = req.headers().first(HeaderNames.CONTENT_RANGE).map(ChunkRange::parse).orElse(null);
            length = req.headers().contentLength().orElse(-1);
        }
        ctx.storage().uploads().complete(repo, id, digest, body, range, length);
        ctx.notify(l -> l.blobPushed(caller, repo, digest));
        created(res, repo, digest);
    }

    void cancel(ServerRequest req, ServerResponse res, RepositoryName repo, String id) {
        ctx.storage().uploads().cancel(repo, id);
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private void created(ServerResponse res, RepositoryName repo, Digest digest) {
        res.status(Status.CREATED_201);
        res.header(HeaderNames.LOCATION, ctx.urls().blob(repo, digest));
        res.header(Responses.DOCKER_CONTENT_DIGEST, digest.toString());
        Responses.sendEmpty(res);
    }

    private void session(ServerResponse res, UploadState state) {
        res.header(HeaderNames.LOCATION, ctx.urls().upload(state.repository(), state.id()));
        res.header(Responses.RANGE, state.rangeHeader());
        res.header(Responses.DOCKER_UPLOAD_UUID, state.id());
    }
}
