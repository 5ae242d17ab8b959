package dev.akua.registry.http.v2;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Small response helpers shared by the endpoints. */
final class Responses {
    static final HeaderName DOCKER_CONTENT_DIGEST = HeaderNames.create("Docker-Content-Digest");
    static final HeaderName DOCKER_UPLOAD_UUID = HeaderNames.create("Docker-Upload-UUID");
    static final HeaderName OCI_SUBJECT = HeaderNames.create("OCI-Subject");
    static final HeaderName OCI_TAG = HeaderNames.create("OCI-Tag");
    static final HeaderName OCI_FILTERS_APPLIED = HeaderNames.create("OCI-Filters-Applied");
    static final HeaderName RANGE = HeaderNames.create("Range");

    private Responses() {
    }

    static boolean isHead(ServerRequest req) {
        return req.prologue().method().text().equals("HEAD");
    }

    /** Sends a body, or for HEAD only its length (RFC 9110 §9.3.2: same headers as GET). */
    static void send(ServerRequest req, ServerResponse res, byte[] body) {
        if (isHead(req)) {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.send();
        } else {
            res.send(body);
        }
    }

    /** An empty body with an explicit zero length (clients such as akua read 202s without bodies). */
    static void sendEmpty(ServerResponse res) {
        res.header(HeaderNames.CONTENT_LENGTH, "0");
        res.send();
    }

    /** True when an {@code If-None-Match} header matches the entity tag. */
    static boolean notModified(ServerRequest req, String etag) {
        return req.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(v -> {
                    for (String part : v.split(",")) {
                        String t = part.trim();
                        if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                            return true;
                        }
                    }
                    return false;
                }).orElse(false);
    }
}
