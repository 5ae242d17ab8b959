package dev.akua.registry.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The token endpoint's success body (Docker "Token Authentication Specification", response
 * fields): {@code token} and {@code access_token} carry the same JWT (akua reads {@code token},
 * falling back to {@code access_token}; OAuth2-minded clients read the latter),
 * {@code expires_in} in seconds, {@code issued_at} in RFC 3339.
 *
 * @param token     the JWT
 * @param expiresIn lifetime in seconds
 * @param issuedAt  issue time
 * @param granted   the scopes granted (requested ∩ permitted), for logs and tests; not in the body
 * @param principal who the token is for; not in the body
 */
public record TokenResponse(String token, long expiresIn, Instant issuedAt, List<Scope> granted, Principal principal) {
    public TokenResponse {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(issuedAt, "issuedAt");
        granted = List.copyOf(granted);
        Objects.requireNonNull(principal, "principal");
    }

    /** The response body, {@code Content-Type: application/json}. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("token", token);
            g.writeStringField("access_token", token);
            g.writeNumberField("expires_in", expiresIn);
            g.writeStringField("issued_at", issuedAt.toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "TokenResponse[" + principal + " " + granted + "]";
    }
}
