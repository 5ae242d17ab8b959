package dev.akua.registry.feature.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.extension.RequiredAccess.Action;
import dev.akua.registry.http.ClientBodies;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.signing.ReportJson;
import dev.akua.registry.signing.SignRequest;
import dev.akua.registry.signing.SigningException;
import dev.akua.registry.signing.VerificationReport;
import dev.akua.registry.storage.manifest.Revision;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The signing feature's HTTP API, under {@code /api/v1/repositories/<name>/} ({@link ApiRoute}):
 * <ul>
 * <li>{@code GET|HEAD …/signatures/<digest|tag>}: the verification report ({@link ReportJson}); needs
 *     {@code pull} on the repository; 404 {@code MANIFEST_UNKNOWN} when the repository does not hold
 *     the manifest.</li>
 * <li>{@code POST …/sign} with {@code {"digest": "sha256:…", "key": "<name>", "bundle": false}}: signs
 *     with a key the registry holds; needs {@code push} and the {@code sign} right, and an identified
 *     caller (never anonymous, whatever the gate allows).</li>
 * </ul>
 * Thin: parse, authorize through the access gate, call the feature's services, write JSON; every
 * failure goes through the registry's one error writer.
 */
final class SignatureApi implements Handler {
    static final String SIGN_RIGHT = "sign";
    /** {@code {"digest","key","bundle"}} is well under 1 KiB; anything bigger is not a sign request. */
    static final int MAX_SIGN_BODY = 16 * 1024;
    private static final Set<String> SIGN_FIELDS = Set.of("digest", "key", "bundle");
    private static final Pattern HOST = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?"
            + "|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private final FeatureContext ctx;
    private final Verifications verifications;
    private final ServerSigning signing;
    private final ReportJson reports = new ReportJson();

    /** @param signing null when no signing keys are configured ({@code signing.keys}) */
    SignatureApi(FeatureContext ctx, Verifications verifications, ServerSigning signing) {
        this.ctx = ctx;
        this.verifications = verifications;
        this.signing = signing;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            var route = ApiRoute.resolve(req.path().path(), req.prologue().method().text());
            if (route.isEmpty()) {
                res.next(); // another feature's path under /api/v1/repositories/
                return;
            }
            RepositoryName repo = RepositoryName.parse(route.get().name());
            switch (route.get().endpoint()) {
                case SIGNATURES -> signatures(req, res, repo, Reference.parse(route.get().reference()));
                case SIGN -> sign(req, res, repo);
            }
        } catch (SigningException e) {
            ctx.errors().write(req, res, ServerSigning.toOci(e));
        } catch (Exception e) {
            ctx.errors().write(req, res, e);
        }
    }

    private void signatures(ServerRequest req, ServerResponse res, RepositoryName repo, Reference ref) {
        authorize(req, repo, Action.PULL);
        Revision rev = ctx.storage().manifests().resolve(repo, ref).orElseThrow(() ->
                OciException.of(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: " + repo + ":" + ref));
        VerificationReport report = verifications.verify(repo, rev.digest());
        byte[] body = reports.write(report);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        // a verdict is only true for the sidecars present now; no shared cache may keep it
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.create("Docker-Content-Digest"), rev.digest().toString());
        if (req.prologue().method().text().equals("HEAD")) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    private void sign(ServerRequest req, ServerResponse res, RepositoryName repo) {
        Caller caller = authorize(req, repo, Action.PUSH);
        if (caller.anonymous()) {
            throw OciException.of(ErrorCode.DENIED, "server-side signing needs an identified caller with the '"
                    + SIGN_RIGHT + "' right on " + repo + "; anonymous callers never sign");
        }
        if (!gate().permits(caller, repo, SIGN_RIGHT)) {
            throw OciException.of(ErrorCode.DENIED, caller.subject() + " lacks the '" + SIGN_RIGHT + "' right on " + repo);
        }
        if (signing == null) {
            throw OciException.of(ErrorCode.UNSUPPORTED, "server-side signing is not configured on this registry (signing.keys)")
                    .withStatus(404);
        }
        SignBody body = readSignBody(req);
        String dockerReference = registryHost(req) + "/" + repo;
        ServerSigning.Outcome out = signing.sign(caller, new SignRequest(repo, body.digest(), body.key(), dockerReference, body.bundle()));

        Map<String, String> details = new LinkedHashMap<>();
        details.put("key", out.result().keyName());
        details.put("keyFingerprint", out.result().keyFingerprint());
        details.put("sidecar", String.valueOf(out.sidecar()));
        if (out.bundle() != null) {
            details.put("bundle", out.bundle().toString());
        }
        details.put("alreadySigned", String.valueOf(out.result().alreadySigned()));
        ctx.service(AuditTrail.class).orElse(AuditTrail.NONE).record("sign", caller, repo.value(), body.digest().toString(), details);

        ObjectNode json = ctx.json().createObjectNode();
        json.put("repository", repo.value());
        json.put("digest", body.digest().toString());
        json.put("key", out.result().keyName());
        json.put("keyFingerprint", out.result().keyFingerprint());
        json.put("dockerReference", dockerReference);
        json.put("alreadySigned", out.result().alreadySigned());
        ObjectNode sig = json.putObject("signature");
        sig.put("tag", out.sidecarTag().value());
        sig.put("manifestDigest", String.valueOf(out.sidecar()));
        if (out.bundle() != null) {
            json.putObject("bundle").put("manifestDigest", out.bundle().toString());
        }
        res.status(out.result().alreadySigned() ? Status.OK_200 : Status.CREATED_201);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        try {
            res.send(ctx.json().writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Caller authorize(ServerRequest req, RepositoryName repo, Action action) {
        // with the request's origin, so a 401 challenge names a token realm the client can reach
        return gate().authorize(req, List.of(RequiredAccess.repository(repo.value(), action)));
    }

    /** The access gate the /v2 API uses, published by the composition root; without one, nothing is answered (fail closed). */
    private AccessGate gate() {
        return ctx.service(AccessGate.class).orElseThrow(() ->
                new IllegalStateException("the composition root did not publish the AccessGate"));
    }

    record SignBody(Digest digest, String key, boolean bundle) {
    }

    /** The sign request body: a JSON object with exactly the known fields, read with a cap. */
    SignBody readSignBody(ServerRequest req) {
        byte[] raw;
        try (InputStream in = ClientBodies.of(req)) {
            raw = in.readNBytes(MAX_SIGN_BODY + 1);
        } catch (IOException e) {
            throw badRequest("the request body could not be read: " + e.getMessage());
        }
        if (raw.length > MAX_SIGN_BODY) {
            throw OciException.of(ErrorCode.UNSUPPORTED, "the sign request body is larger than " + MAX_SIGN_BODY + " bytes")
                    .withStatus(413);
        }
        return parseSignBody(ctx, raw);
    }

    static SignBody parseSignBody(FeatureContext ctx, byte[] raw) {
        JsonNode node;
        try {
            node = ctx.json().readTree(raw);
        } catch (IOException e) {
            throw badRequest("the request body is not JSON: expected {\"digest\": \"sha256:…\", \"key\": \"<key name>\"}");
        }
        if (node == null || !node.isObject()) {
            throw badRequest("the request body must be a JSON object {\"digest\": \"sha256:…\", \"key\": \"<key name>\"}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SIGN_FIELDS.contains(f)) {
                throw badRequest("unknown field '" + f + "' in the sign request (allowed: bundle, digest, key)");
            }
        }
        JsonNode digest = node.get("digest");
        JsonNode key = node.get("key");
        JsonNode bundle = node.get("bundle");
        if (digest == null || !digest.isTextual()) {
            throw badRequest("the sign request needs \"digest\": the manifest digest to sign (a string)");
        }
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            throw badRequest("the sign request needs \"key\": the name of a signing key the registry holds (a string)");
        }
        if (bundle != null && !bundle.isNull() && !bundle.isBoolean()) {
            throw badRequest("\"bundle\" must be true or false");
        }
        return new SignBody(Digest.parse(digest.asText()), key.asText(), bundle != null && bundle.asBoolean(false));
    }

    /**
     * The {@code <host[:port]>} clients address this registry by, for the payload's
     * {@code docker-reference}: the host of {@code http.publicUrl} when configured, else the
     * request's {@code Host} header (validated: it ends up in a signed payload).
     */
    private String registryHost(ServerRequest req) {
        String publicUrl = ctx.config().http().publicUrl();
        if (!publicUrl.isEmpty()) {
            URI uri = URI.create(publicUrl);
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        }
        String host = req.headers().first(HeaderNames.HOST).orElse("").trim();
        if (!HOST.matcher(host).matches()) {
            throw badRequest("the Host header '" + host.substring(0, Math.min(host.length(), 100))
                    + "' is not a host[:port]; set http.publicUrl");
        }
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    private static OciException badRequest(String message) {
        return OciException.of(ErrorCode.UNSUPPORTED, message).withStatus(400);
    }
}
