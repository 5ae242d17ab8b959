package dev.akua.registry.http.v2;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.ManifestPullCheck;
import dev.akua.registry.http.ClientBodies;
import dev.akua.registry.storage.manifest.PutResult;
import dev.akua.registry.storage.manifest.Revision;
import dev.akua.registry.storage.manifest.StoredManifest;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v2/<name>/manifests/<reference>}: GET/HEAD (end-3), PUT (end-7a/7b), DELETE (end-9).
 * Manifests are served exactly as pushed, with the pushed media type as {@code Content-Type}. The
 * {@code Accept} header does not change what is served: there is one stored representation and no
 * conversion (akua sends OCI and Docker types as two header lines, §1.4; both work).
 */
final class ManifestEndpoint {
    /** distribution-spec end-7b: "SHOULD support pushing at least 10 tags per request". */
    private static final int MAX_TAG_PARAMS = 100;
    private final V2Context ctx;

    ManifestEndpoint(V2Context ctx) {
        this.ctx = ctx;
    }

    void get(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo, Reference ref) {
        boolean head = Responses.isHead(req);
        ctx.pullThrough(repo).ifPresent(p -> p.prepareManifest(caller, repo, ref));
        Revision rev;
        byte[] bytes = null;
        if (head) {
            rev = ctx.storage().manifests().resolve(repo, ref).orElseThrow(() -> unknown(repo, ref));
        } else {
            StoredManifest m = ctx.storage().manifests().get(repo, ref).orElseThrow(() -> unknown(repo, ref));
            rev = m.revision();
            bytes = m.bytes();
        }
        if (!ctx.hooks().pullChecks().isEmpty()) {
            Revision checked = rev;
            byte[][] loaded = {bytes};
            java.util.function.Supplier<byte[]> lazy = () -> {
                if (loaded[0] == null) {
                    loaded[0] = ctx.storage().manifests().get(repo, checked.digest())
                            .orElseThrow(() -> unknown(repo, ref)).bytes();
                }
                return loaded[0];
            };
            for (ManifestPullCheck check : ctx.hooks().pullChecks()) {
                check.check(caller, repo, ref, rev, lazy);
            }
        }
        String etag = "\"" + rev.digest() + "\"";
        res.header(Responses.DOCKER_CONTENT_DIGEST, rev.digest().toString());
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.CONTENT_TYPE, rev.mediaType());
        if (Responses.notModified(req, etag)) {
            res.status(Status.NOT_MODIFIED_304);
            res.send();
            return;
        }
        if (head) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(rev.size()));
            res.send();
        } else {
            res.send(bytes);
        }
    }

    void put(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo, Reference ref) {
        int max = ctx.storage().manifests().maxManifestBytes();
        var declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > max) {
            throw tooLarge(max);
        }
        List<Tag> extraTags = new ArrayList<>();
        List<String> tagParams = req.query().all("tag", List::of);
        if (tagParams.size() > MAX_TAG_PARAMS) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "at most " + MAX_TAG_PARAMS + " tag parameters per request")
                    .withStatus(414);
        }
        for (String t : tagParams) {
            extraTags.add(Tag.parse(t));
        }
        byte[] body = readBounded(ClientBodies.of(req), max);
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        // Tag rules (immutability) and push checks run once the manifest proved valid and
        // complete, before anything is stored; listeners hear about it afterwards.
        PutResult result = ctx.push().manifest(caller, repo, ref, body, contentType, extraTags);
        res.status(Status.CREATED_201);
        res.header(HeaderNames.LOCATION, ctx.urls().manifest(repo, result.digest()));
        res.header(Responses.DOCKER_CONTENT_DIGEST, result.digest().toString());
        if (result.subject() != null) {
            // distribution-spec "Pushing Manifests with Subject": tells the client the referrers API indexed it
            res.header(Responses.OCI_SUBJECT, result.subject().toString());
        }
        if (!tagParams.isEmpty()) {
            // end-7b: an OCI-Tag header (RFC 9110 list semantics) naming every tag set
            res.header(Responses.OCI_TAG, result.tags().stream().map(Tag::value).toArray(String[]::new));
        }
        Responses.sendEmpty(res);
    }

    void delete(ServerRequest req, ServerResponse res, Caller caller, RepositoryName repo, Reference ref) {
        if (!ctx.deleteEnabled()) {
            throw OciException.of(ErrorCode.UNSUPPORTED, "deletion is disabled on this registry");
        }
        switch (ref) {
            case Tag tag -> {
                Digest current = ctx.storage().tags().resolve(repo, tag).orElseThrow(() -> unknown(repo, ref));
                ctx.hooks().gate().checkTagDelete(caller, repo, tag, current);
                if (!ctx.storage().tags().delete(repo, tag)) {
                    throw unknown(repo, ref);
                }
                ctx.notify(l -> l.tagDeleted(caller, repo, tag, current));
            }
            case Digest digest -> {
                if (ctx.storage().manifests().revision(repo, digest).isEmpty()) {
                    throw unknown(repo, ref);
                }
                List<Tag> tags = ctx.storage().tags().tagsOf(repo, digest);
                ctx.hooks().gate().checkManifestDelete(caller, repo, digest, tags);
                if (!ctx.storage().manifests().delete(repo, digest)) {
                    throw unknown(repo, ref);
                }
                ctx.notify(l -> l.manifestDeleted(caller, repo, digest, tags));
            }
        }
        res.status(Status.ACCEPTED_202);
        Responses.sendEmpty(res);
    }

    private OciException unknown(RepositoryName repo, Reference ref) {
        if (!ctx.storage().catalog().exists(repo)) {
            return OciException.of(ErrorCode.NAME_UNKNOWN, "repository " + repo + " not known to registry");
        }
        return OciException.of(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: " + repo + ":" + ref);
    }

    private static OciException tooLarge(int max) {
        return OciException.of(ErrorCode.MANIFEST_INVALID, "manifest exceeds the size limit of " + max + " bytes")
                .withStatus(413);
    }

    /** Reads at most {@code max} bytes; one more means the manifest is too large (413). */
    private static byte[] readBounded(InputStream in, int max) {
        try (in) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "could not read the manifest body: " + e.getMessage());
        }
    }
}
