package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AccessControl;
import dev.akua.registry.auth.TokenResponse;
import dev.akua.registry.http.ErrorResponses;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /token?service=…&scope=…} (Docker "Token Authentication Specification"): the
 * {@code scope} parameter may repeat and each may hold several space-separated scopes (akua 0.8.5
 * forwards the challenge's value verbatim as one parameter, akua-wire-contract.md §1.5). The
 * credential is the {@code Authorization} header: {@code Basic user:password},
 * {@code Basic <any>:<robot or personal token>}, {@code Bearer <robot or personal token>}, or none
 * (anonymous). The answer is {@code {"token","access_token","expires_in","issued_at"}}.
 *
 * <p>GET only, as akua and the Docker token spec use it. The OAuth2 {@code POST} form is answered
 * 405: Docker uses it only with a refresh token, which this registry never issues, and containerd
 * falls back to GET on 405.
 */
final class TokenEndpoint implements Handler {
    private final AccessControl access;
    private final ErrorResponses errors;

    TokenEndpoint(AccessControl access, ErrorResponses errors) {
        this.access = access;
        this.errors = errors;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        try {
            if (!req.prologue().method().text().equals("GET")) {
                throw OciException.of(ErrorCode.UNSUPPORTED, "the token endpoint answers GET only").withHeader("Allow", "GET");
            }
            String service = req.query().first("service").asOptional().orElse(null);
            // akua (reqwest/serde_urlencoded) form-encodes the query: the spaces between scopes
            // arrive as '+'. No scope can contain a literal '+' (names, types and actions exclude
            // it), so reading '+' as a space is exact.
            List<String> scopes = req.query().all("scope", List::of).stream().map(s -> s.replace('+', ' ')).toList();
            TokenResponse token = access.issueToken(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                    req.remotePeer().host(), service, scopes).orThrow();
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            // RFC 6749 §5.1: responses carrying tokens must not be cached
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.header(HeaderNames.PRAGMA, "no-cache");
            res.send(token.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            errors.write(req, res, e);
        }
    }
}
