package dev.akua.registry.feature.lock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.http.ClientBodies;
import dev.akua.registry.http.Urls;
import dev.akua.registry.lockfile.CallerRegistry;
import dev.akua.registry.lockfile.DependencyReport;
import dev.akua.registry.lockfile.Drift;
import dev.akua.registry.lockfile.DriftReport;
import dev.akua.registry.lockfile.LockOutcome;
import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.remote.oci.RegistryLogin;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/lock}: akua.toml (+ akua.lock, mode, workspace key) in, the canonical lock
 * text, drift, per-dependency records and the human-readable report out (docs/lock.md).
 *
 * <p>Access: the caller must be one the registry accepts at all (the gate's check for
 * {@code GET /v2/}, no repository scope). Resolution reads only what an anonymous client can read —
 * public upstreams through the address policy, and this registry's own repositories through its
 * public {@code /v2} API, where the gate applies again to those anonymous reads — so the endpoint
 * grants no repository right; it spends server work and outbound requests, hence "accepted callers
 * only" and a concurrency cap (429 beyond it).
 *
 * <p>Requests must be {@code application/json}: a browser cannot send that cross-site without a
 * CORS preflight, so a web page cannot make a logged-in browser drive upstream fetches.
 */
final class LockApi implements Handler {
    static final String PATH = "/api/v1/lock";

    private final FeatureContext context;
    private final LockService service;
    private final int maxRequestBytes;
    private final Semaphore running;
    private final ObjectReader reader;
    private final JsonMapper json;

    LockApi(FeatureContext context, LockService service, LockSettings settings) {
        this.context = context;
        this.service = service;
        this.maxRequestBytes = settings.maxRequestBytes();
        this.running = new Semaphore(settings.maxConcurrent());
        this.json = context.json();
        this.reader = json.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            serve(req, res);
        } catch (Exception e) {
            context.errors().write(req, res, e);
        }
    }

    private void serve(ServerRequest req, ServerResponse res) throws IOException {
        // The gate is looked up per request: the auth feature may be built after this one.
        AccessGate gate = context.service(AccessGate.class).orElse(AccessGate.OPEN);
        Caller caller = gate.authorize(req, List.of());
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).replace(" ", "").matches("application/json(;.*)?")) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "the request must be JSON (Content-Type: application/json), not `"
                    + contentType + "`").withStatus(415);
        }
        LockApiRequest request = LockApiRequest.parse(readJson(req));
        if (!running.tryAcquire()) {
            throw OciException.of(ErrorCode.TOOMANYREQUESTS, "the registry is already running " + "its maximum of lock resolutions; retry shortly")
                    .withHeader("Retry-After", "5");
        }
        LockOutcome outcome;
        try {
            // dependencies named under the authority the caller used for this request are this registry's own
            outcome = service.resolve(request.toLockRequest(callerRegistry(req)));
        } catch (LockException e) {
            audit(caller, request, e.reason().name());
            throw LockErrors.toOci(e);
        } finally {
            running.release();
        }
        audit(caller, request, outcome.drift() ? "drift" : "ok");
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.writeValueAsBytes(toJson(outcome)));
    }

    private JsonNode readJson(ServerRequest req) throws IOException {
        var declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxRequestBytes) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = ClientBodies.of(req)) {
            body = in.readNBytes(maxRequestBytes + 1);
        }
        if (body.length > maxRequestBytes) {
            throw tooLarge();
        }
        if (body.length == 0) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "the request body is empty; send {\"manifest\": \"<akua.toml>\"}");
        }
        try {
            return reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw OciException.of(ErrorCode.MANIFEST_INVALID, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private OciException tooLarge() {
        return OciException.of(ErrorCode.MANIFEST_INVALID, "the request body is larger than lock.api.maxRequestBytes ("
                + maxRequestBytes + " bytes)").withStatus(413);
    }

    /**
     * This registry as the caller reached it ({@code Host}) and the caller's own credentials: OCI
     * dependencies under that authority are read as the caller would pull them. The registry's
     * endpoints take only Bearer credentials (a token from {@code /token}, or a robot or personal
     * token sent directly, docs/auth.md), so that is what is passed on — to no other host.
     */
    static CallerRegistry callerRegistry(ServerRequest req) {
        String origin = Urls.origin(req);
        String authority = origin.substring(origin.indexOf("://") + 3);
        RegistryLogin login = RegistryLogin.anonymous();
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("").strip();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            try {
                login = RegistryLogin.token(header.substring(7).strip());
            } catch (IllegalArgumentException e) {
                // not a usable token (the gate already decided whether the caller may lock): read anonymously
            }
        }
        return new CallerRegistry(authority, login);
    }

    private void audit(Caller caller, LockApiRequest request, String result) {
        context.service(AuditTrail.class).orElse(AuditTrail.NONE).record("lock", caller, null, null,
                Map.of("mode", request.mode().name().toLowerCase(Locale.ROOT), "result", result));
    }

    /** The response document; field names are part of the API (docs/lock.md). */
    ObjectNode toJson(LockOutcome outcome) {
        ObjectNode root = json.createObjectNode();
        root.put("mode", outcome.mode().name().toLowerCase(Locale.ROOT));
        root.put("lock", outcome.lockText());
        root.put("drift", outcome.drift());
        root.put("exitCode", outcome.exitCode());
        root.put("report", DriftReport.render(outcome));
        ArrayNode deps = root.putArray("dependencies");
        for (DependencyReport d : outcome.dependencies()) {
            ObjectNode n = deps.addObject();
            n.put("name", d.name());
            n.put("version", d.version());
            n.put("source", d.source());
            n.put("digest", d.digest());
            n.put("signature", d.signature());
            n.put("direct", d.direct());
            strings(n.putArray("requiredBy"), d.requiredBy());
            strings(n.putArray("dependencies"), d.dependencies());
            strings(n.putArray("notes"), d.notes());
        }
        ArrayNode drifts = root.putArray("drifts");
        for (Drift d : outcome.drifts()) {
            ObjectNode n = drifts.addObject();
            n.put("name", d.name());
            n.put("kind", d.kind().name());
            n.put("before", d.before());
            n.put("after", d.after());
        }
        return root;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
