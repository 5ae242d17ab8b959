package dev.akua.registry.feature.publish;

import dev.akua.registry.extension.ContentPush;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.extension.RequiredAccess.Action;
import dev.akua.registry.http.ClientBodies;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.publisher.PackageMetadata;
import dev.akua.registry.publisher.ProvenanceStatement;
import dev.akua.registry.publisher.Publication;
import dev.akua.registry.publisher.PublishPolicy;
import dev.akua.registry.publisher.PublishRefusal;
import dev.akua.registry.publisher.PublishRequest;
import dev.akua.registry.publisher.PublishSigner;
import dev.akua.registry.publisher.Publisher;
import dev.akua.registry.publisher.RenderedManifest;
import dev.akua.registry.publisher.Shape;
import dev.akua.registry.signing.ManifestUpload;
import dev.akua.registry.signing.SigningException;
import dev.akua.registry.storage.upload.ClientBodyException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The publishing API under {@code /api/v1/repositories/<name>/} ({@link PublishRoute}):
 * <ul>
 * <li>{@code POST …/publish?as=helm-chart|oci-bundle&version=…&sourceDigest=…[&name=…&description=…&sourceRef=…&created=…]}
 *     with the tar.gz of akua's render output as the body: builds the chart or bundle, signs and
 *     attests it when the repository's policy asks (before anything is stored), stores it all through
 *     the normal push path, and answers 201 with the reference, digest, signature and attestation
 *     locations. Needs {@code push}; signing also needs the {@code sign} right.</li>
 * <li>{@code GET|HEAD …/packages/<tag|digest>}: the akua package's metadata. Needs {@code pull}.</li>
 * </ul>
 * Thin: parse, authorize through the access gate, call the publisher, push, write JSON; every
 * failure goes through the registry's one error writer as the spec's JSON envelope.
 */
final class PublishApi implements Handler {
    static final String SIGN_RIGHT = "sign";
    private static final int SIDECAR_ATTEMPTS = 3;
    private static final int STRIPES = 64;
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?"
            + "|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private final FeatureContext ctx;
    private final PublishSettings settings;
    private final Publisher publisher;
    private final PublishSigner signer;
    private final ContentPush push;
    private final Packages packages;
    private final Semaphore slots;
    private final ProvenanceStatement provenance = new ProvenanceStatement();
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** @param signer null when the registry holds no signing keys ({@code signing.keys}) */
    PublishApi(FeatureContext ctx, PublishSettings settings, Publisher publisher, PublishSigner signer, ContentPush push,
               Packages packages) {
        this.ctx = ctx;
        this.settings = settings;
        this.publisher = publisher;
        this.signer = signer;
        this.push = push;
        this.packages = packages;
        this.slots = new Semaphore(settings.maxConcurrent(), true);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            Optional<PublishRoute> route = PublishRoute.resolve(req.path().path(), req.prologue().method().text());
            if (route.isEmpty()) {
                res.next(); // another feature's path under /api/v1/repositories/
                return;
            }
            RepositoryName repo = RepositoryName.parse(route.get().name());
            switch (route.get().endpoint()) {
                case PUBLISH -> publish(req, res, repo);
                case PACKAGE -> packageMetadata(req, res, repo, Reference.parse(route.get().reference()));
            }
        } catch (PublishRefusal e) {
            ctx.errors().write(req, res, toOci(e));
        } catch (SigningException e) {
            ctx.errors().write(req, res, toOci(e));
        } catch (Exception e) {
            ctx.errors().write(req, res, e);
        }
    }

    private void publish(ServerRequest req, ServerResponse res, RepositoryName repo) throws IOException, InterruptedException {
        Caller caller = authorize(req, repo, Action.PUSH);
        PublishPolicy policy = PublishPolicy.first(settings.policies(), repo).orElse(PublishPolicy.none());
        boolean signing = policy.sign() || policy.provenance();
        if (signing) {
            if (caller.anonymous() || !push.hooks().gate().permits(caller, repo, SIGN_RIGHT)) {
                throw OciException.of(ErrorCode.DENIED, "the policy of " + repo + " signs what is published there, and "
                        + (caller.anonymous() ? "anonymous callers never sign" : caller.subject() + " lacks the '" + SIGN_RIGHT + "' right on " + repo));
            }
            if (signer == null) {
                throw OciException.of(ErrorCode.UNAVAILABLE, "the policy of " + repo + " asks for signing, but the registry holds no signing keys (signing.keys)");
            }
        }
        PublishRequest request = request(req, repo);
        var declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > settings.limits().archive().maxCompressedBytes()) {
            throw toOci(new PublishRefusal(PublishRefusal.Kind.TOO_LARGE, "the archive is larger than "
                    + settings.limits().archive().maxCompressedBytes() + " bytes", null));
        }
        if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
            throw OciException.of(ErrorCode.TOOMANYREQUESTS, "too many publish requests are being built; try again").withHeader("Retry-After", "5");
        }
        try {
            Publication publication;
            try (InputStream body = ClientBodies.of(req)) {
                publication = publisher.publish(request, body);
            } catch (ClientBodyException e) {
                throw OciException.of(ErrorCode.BLOB_UPLOAD_INVALID, "the archive could not be read: " + e.getMessage());
            }
            String hostRef = registryHost(req) + "/" + repo;
            Stored stored;
            try {
                stored = store(caller, repo, policy, publication, hostRef, origin(req));
            } catch (IOException e) {
                throw OciException.of(ErrorCode.UNAVAILABLE, "storage unavailable while publishing to " + repo + ": " + e.getMessage())
                        .withCause(e);
            }
            audit(caller, repo, publication, stored);
            respond(res, repo, publication, hostRef, stored);
        } finally {
            slots.release();
        }
    }

    /** What was stored besides the publication. */
    private record Stored(PublishSigner.Signed signed, String key) {
    }

    private Stored store(Caller caller, RepositoryName repo, PublishPolicy policy, Publication publication, String hostRef,
                         String origin) throws IOException {
        Digest digest = publication.manifest().digest();
        ReentrantLock lock = locks[Math.floorMod(Objects.hash(repo, digest), STRIPES)];
        lock.lock();
        try {
            byte[] statement = policy.provenance() ? provenance.statement(publication, hostRef, origin + "/api/v1") : null;
            PublishSigner.Signed signed = null;
            if (policy.sign() || policy.provenance()) {
                // made before anything is stored: a key or sidecar problem leaves the repository untouched
                signed = signer.sign(publication, repo, policy.signingKey(), policy.sign(), statement, hostRef);
            }
            push.checkTag(caller, repo, publication.tag(), digest);
            push.blobs(caller, repo, publication.blobs());
            push.manifest(caller, repo, publication.manifest());
            if (signed != null) {
                signed = pushSidecars(caller, repo, policy, publication, statement, hostRef, signed);
            }
            return new Stored(signed, policy.signingKey());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pushes signature, attestation and referrer. A sidecar tag is only moved if it still points where
     * the new sidecar was based on; if another writer moved it meanwhile, signing is redone on the new
     * sidecar (the signing feature's rule), up to {@value #SIDECAR_ATTEMPTS} times.
     */
    private PublishSigner.Signed pushSidecars(Caller caller, RepositoryName repo, PublishPolicy policy, Publication publication,
                                              byte[] statement, String hostRef, PublishSigner.Signed signed) throws IOException {
        for (int attempt = 1; attempt <= SIDECAR_ATTEMPTS; attempt++) {
            push.blobs(caller, repo, signed.blobs());
            boolean current = true;
            for (Map.Entry<Tag, Optional<Digest>> e : signed.basedOn().entrySet()) {
                current &= ctx.storage().tags().resolve(repo, e.getKey()).equals(e.getValue());
            }
            if (current) {
                for (ManifestUpload m : signed.manifests()) {
                    push.manifest(caller, repo, m);
                }
                return signed;
            }
            signed = signer.sign(publication, repo, policy.signingKey(), policy.sign(), statement, hostRef);
        }
        throw OciException.of(ErrorCode.UNAVAILABLE, "the signature sidecars of " + repo + "@" + publication.manifest().digest()
                + " kept changing while publishing; the artifact is stored, publish again to sign it");
    }

    private PublishRequest request(ServerRequest req, RepositoryName repo) {
        var q = req.query();
        String as = q.first("as").orElseThrow(() -> new PublishRefusal(PublishRefusal.Kind.INVALID_REQUEST,
                "the shape is missing: add ?as=helm-chart or ?as=oci-bundle", null));
        String last = repo.value().substring(repo.value().lastIndexOf('/') + 1);
        return new PublishRequest(Shape.parse(as),
                q.first("name").orElse(last),
                q.first("version").orElse(null),
                q.first("description").orElse(""),
                q.first("sourceRef").orElse(null),
                PublishRequest.parseDigest(q.first("sourceDigest").orElse(null), "source package digest (sourceDigest)"),
                PublishRequest.parseCreated(q.first("created").orElse(null)));
    }

    private void respond(ServerResponse res, RepositoryName repo, Publication p, String hostRef, Stored stored) {
        Digest digest = p.manifest().digest();
        ObjectNode json = ctx.json().createObjectNode();
        json.put("repository", repo.value());
        json.put("as", p.request().shape().wireName());
        json.put("reference", hostRef + ":" + p.tag().value());
        json.put("tag", p.tag().value());
        json.put("digest", digest.toString());
        json.put("mediaType", p.manifest().mediaType());
        json.put("artifactType", p.artifactType());
        json.put("location", ctx.urls().manifest(repo, digest));
        PublishSigner.Signed s = stored.signed();
        if (s != null && s.signatureTag() != null) {
            ObjectNode sig = json.putObject("signature");
            sig.put("tag", s.signatureTag().value());
            sig.put("location", manifestUrl(repo, s.signatureTag().value()));
            sig.put("key", stored.key());
            sig.put("keyFingerprint", s.keyFingerprint());
            sig.put("alreadySigned", s.alreadySigned());
        } else {
            json.putNull("signature");
        }
        if (s != null && s.attestationTag() != null) {
            ObjectNode att = json.putObject("attestation");
            att.put("predicateType", "https://slsa.dev/provenance/v1");
            att.put("tag", s.attestationTag().value());
            att.put("location", manifestUrl(repo, s.attestationTag().value()));
            if (s.attestationReferrer() != null) {
                att.put("referrer", s.attestationReferrer().toString());
                att.put("referrerLocation", ctx.urls().manifest(repo, s.attestationReferrer()));
            }
            att.put("referrers", urlBase() + "/v2/" + repo + "/referrers/" + digest);
            att.put("alreadyAttested", s.alreadyAttested());
        } else {
            json.putNull("attestation");
        }
        ObjectNode input = json.putObject("input");
        input.put("archiveDigest", p.input().archiveDigest().toString());
        input.put("archiveSize", p.input().archiveSize());
        input.put("renderedDigest", p.input().renderedDigest().toString());
        input.put("sourceDigest", p.request().sourceDigest().toString());
        ArrayNode files = input.putArray("files");
        for (RenderedManifest m : p.input().manifests()) {
            ObjectNode f = files.addObject();
            f.put("name", m.fileName());
            f.put("apiVersion", m.resource().apiVersion());
            f.put("kind", m.resource().kind());
            f.put("resourceName", m.resource().name());
            if (m.resource().namespace() != null) {
                f.put("namespace", m.resource().namespace());
            }
        }
        res.status(Status.CREATED_201);
        res.header(HeaderNames.LOCATION, ctx.urls().manifest(repo, digest));
        res.header(HeaderNames.create("Docker-Content-Digest"), digest.toString());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(write(json));
    }

    private void packageMetadata(ServerRequest req, ServerResponse res, RepositoryName repo, Reference ref) {
        authorize(req, repo, Action.PULL);
        Packages.Found found = packages.lookup(repo, ref);
        ObjectNode json = ctx.json().createObjectNode();
        json.put("repository", repo.value());
        json.put("reference", ref.toString());
        json.put("digest", found.manifest().toString());
        json.put("layerDigest", found.layer().toString());
        PackageMetadata m = found.metadata();
        ObjectNode pkg = json.putObject("package");
        pkg.put("name", m.name());
        pkg.put("version", m.version());
        pkg.put("edition", m.edition());
        ArrayNode deps = pkg.putArray("dependencies");
        for (PackageMetadata.Dependency d : m.dependencies()) {
            ObjectNode o = deps.addObject();
            o.put("name", d.name());
            o.put("kind", d.kind());
            o.put("source", d.source());
            if (d.version() != null) {
                o.put("version", d.version());
            }
            if (d.chart() != null) {
                o.put("chart", d.chart());
            }
        }
        byte[] body = write(json);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.create("Docker-Content-Digest"), found.manifest().toString());
        if (req.prologue().method().text().equals("HEAD")) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    private void audit(Caller caller, RepositoryName repo, Publication p, Stored stored) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("as", p.request().shape().wireName());
        details.put("tag", p.tag().value());
        details.put("name", p.request().name());
        details.put("version", p.request().version());
        details.put("sourceDigest", p.request().sourceDigest().toString());
        details.put("renderedDigest", p.input().renderedDigest().toString());
        details.put("archiveDigest", p.input().archiveDigest().toString());
        PublishSigner.Signed s = stored.signed();
        details.put("signed", String.valueOf(s != null && s.signatureTag() != null));
        details.put("attested", String.valueOf(s != null && s.attestationTag() != null));
        if (s != null) {
            details.put("key", stored.key());
            details.put("keyFingerprint", s.keyFingerprint());
        }
        ctx.service(AuditTrail.class).orElse(AuditTrail.NONE)
                .record("publish", caller, repo.value(), p.manifest().digest().toString(), details);
    }

    private Caller authorize(ServerRequest req, RepositoryName repo, Action action) {
        return push.hooks().gate().authorize(req, List.of(RequiredAccess.repository(repo.value(), action)));
    }

    /** {@code host[:port]} clients use for this registry: from {@code http.publicUrl}, else the request's Host. */
    private String registryHost(ServerRequest req) {
        String publicUrl = ctx.config().http().publicUrl();
        if (!publicUrl.isEmpty()) {
            return java.net.URI.create(publicUrl).getRawAuthority();
        }
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        if (HOST.matcher(host).matches()) {
            return host;
        }
        return req.localPeer().host() + ":" + req.localPeer().port();
    }

    private String origin(ServerRequest req) {
        String publicUrl = ctx.config().http().publicUrl();
        return publicUrl.isEmpty() ? "http://" + registryHost(req) : publicUrl;
    }

    private String urlBase() {
        return ctx.config().http().publicUrl();
    }

    private String manifestUrl(RepositoryName repo, String tag) {
        return urlBase() + "/v2/" + repo + "/manifests/" + tag;
    }

    private byte[] write(ObjectNode json) {
        try {
            return ctx.json().writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registry's answer for each refusal kind (docs/publishing.md "Errors"). */
    static OciException toOci(PublishRefusal e) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("reason", e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (e.file() != null) {
            detail.put("file", e.file());
        }
        return switch (e.kind()) {
            case INVALID_REQUEST -> OciException.of(ErrorCode.UNSUPPORTED, e.getMessage(), detail).withStatus(400);
            case INVALID_ARCHIVE -> OciException.of(ErrorCode.BLOB_UPLOAD_INVALID, e.getMessage(), detail);
            case TOO_LARGE -> OciException.of(ErrorCode.BLOB_UPLOAD_INVALID, e.getMessage(), detail).withStatus(413);
            case INVALID_MANIFEST, UNREPRODUCIBLE -> OciException.of(ErrorCode.MANIFEST_INVALID, e.getMessage(), detail);
        };
    }

    /** Signing problems, as the signing feature answers them. */
    static OciException toOci(SigningException e) {
        return switch (e.reason()) {
            case KEY_UNKNOWN -> OciException.of(ErrorCode.UNAVAILABLE, "the publishing policy names a signing key the registry does not hold: "
                    + e.getMessage());
            case KEY_UNAVAILABLE -> OciException.of(ErrorCode.UNAVAILABLE, e.getMessage());
            case INVALID_REQUEST -> OciException.of(ErrorCode.UNSUPPORTED, e.getMessage()).withStatus(400);
            case SUBJECT_UNKNOWN -> OciException.of(ErrorCode.MANIFEST_UNKNOWN, e.getMessage());
            case TOO_MANY_SIGNATURES, SIDECAR_INVALID -> OciException.of(ErrorCode.MANIFEST_INVALID, e.getMessage()).withStatus(409);
        };
    }
}
