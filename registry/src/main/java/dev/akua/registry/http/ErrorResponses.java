package dev.akua.registry.http;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place errors become responses: the spec's envelope
 * {@code {"errors":[{"code","message","detail"}]}} (distribution-spec "Error Codes") with the status
 * the {@link OciException} carries. Anything else is a bug: logged with its stack trace and answered
 * 500 with the same envelope shape.
 */
public final class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());
    private final JsonMapper json;

    public ErrorResponses(JsonMapper json) {
        this.json = json;
    }

    public void write(ServerRequest req, ServerResponse res, Throwable error) {
        if (res.isSent()) {
            LOG.log(Level.FINE, "error after the response was sent: " + error);
            return;
        }
        OciException oci;
        if (error instanceof OciException e) {
            oci = e;
            if (e.status() >= 500) {
                // Upstream and storage outages (502, 503) are expected operating conditions: one line,
                // with the cause's message, no stack trace.
                Throwable cause = e.getCause();
                LOG.log(Level.WARNING, req.prologue().method().text() + " " + req.path().path() + " → " + e.status() + ": "
                        + e.getMessage() + (cause == null ? "" : " (" + cause + ")"));
            }
        } else {
            LOG.log(Level.SEVERE, "unhandled error on " + req.prologue().method().text() + " " + req.path().path(), error);
            oci = null;
        }
        ObjectNode root = json.createObjectNode();
        ArrayNode errors = root.putArray("errors");
        ObjectNode entry = errors.addObject();
        int status;
        if (oci != null) {
            status = oci.status();
            entry.put("code", oci.code().name());
            entry.put("message", oci.getMessage());
            if (oci.detail() != null) {
                entry.set("detail", json.valueToTree(oci.detail()));
            }
            for (Map.Entry<String, String> h : oci.headers().entrySet()) {
                res.header(h.getKey(), h.getValue());
            }
        } else {
            status = 500;
            entry.put("code", ErrorCode.UNAVAILABLE.name());
            entry.put("message", "internal error; see the registry log");
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        byte[] body;
        try {
            body = json.writeValueAsBytes(root);
        } catch (Exception e) {
            body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"error encoding failed\"}]}".getBytes();
        }
        if (req.prologue().method().text().equals("HEAD")) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }
}
