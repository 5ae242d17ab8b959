package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry client that authenticates exactly as akua 0.8.5 does (akua-wire-contract.md §1.5,
 * {@code core/oci_transport.rs:112-267}):
 * <ul>
 *   <li>first attempt: {@code Bearer <cached token>}, else {@code Bearer <PAT>} for token
 *       credentials, else no {@code Authorization} (Basic is never sent to the registry);</li>
 *   <li>any non-401 is final; on 401 only the <b>first</b> {@code WWW-Authenticate} is read: it
 *       must start with {@code "Bearer "}, the rest is split on <b>every</b> comma, every part must
 *       contain {@code =}, values are trimmed and their quotes stripped, {@code realm} is required;</li>
 *   <li>{@code GET <realm>?service=…&scope=…} (each only if present, verbatim, form-encoded as
 *       reqwest does) with {@code Basic user:pass}, {@code Bearer <PAT>} or nothing; 2xx required;
 *       {@code token}, else {@code access_token};</li>
 *   <li>the request is retried once with {@code Bearer <token>}; a second 401 is fatal.</li>
 * </ul>
 * A token cache lives for one {@link Operation} (akua uses a fresh one per push step).
 */
final class AkuaAuthClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String UA = "User-Agent: akua/0.8.5";

    /** akua's {@code AuthRequired} and challenge-parse failures. */
    static final class AkuaAuthError extends AssertionError {
        AkuaAuthError(String message) {
            super(message);
        }
    }

    private final RawHttp raw;
    private final String basicUser;
    private final String basicPassword;
    private final String pat;
    /** Every challenge seen and every token request made, for assertions. */
    final List<String> challenges = new ArrayList<>();
    final List<String> tokenRequests = new ArrayList<>();

    private AkuaAuthClient(RawHttp raw, String basicUser, String basicPassword, String pat) {
        this.raw = raw;
        this.basicUser = basicUser;
        this.basicPassword = basicPassword;
        this.pat = pat;
    }

    /** {@code [registries."host:port"] username/password} in auth.toml. */
    static AkuaAuthClient withBasic(int port, String user, String password) {
        return new AkuaAuthClient(new RawHttp("127.0.0.1", port), user, password, null);
    }

    /** {@code [registries."host:port"] token = "…"} in auth.toml. */
    static AkuaAuthClient withToken(int port, String token) {
        return new AkuaAuthClient(new RawHttp("127.0.0.1", port), null, null, token);
    }

    static AkuaAuthClient anonymous(int port) {
        return new AkuaAuthClient(new RawHttp("127.0.0.1", port), null, null, null);
    }

    Operation operation() {
        return new Operation();
    }

    /** akua's parse of a challenge (oci_transport.rs:122-144); throws where akua fails. */
    static Map<String, String> parseChallenge(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            throw new AkuaAuthError("AuthRequired: challenge is not 'Bearer ': " + header);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : header.substring("Bearer ".length()).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new AkuaAuthError("challenge rejected: part without '=': '" + part + "' in " + header);
            }
            String value = part.substring(eq + 1).trim();
            if (value.startsWith("\"")) {
                value = value.substring(1);
            }
            if (value.endsWith("\"")) {
                value = value.substring(0, value.length() - 1);
            }
            params.put(part.substring(0, eq).trim(), value);
        }
        if (!params.containsKey("realm")) {
            throw new AkuaAuthError("challenge without realm: " + header);
        }
        return params;
    }

    /** One akua operation (a push step, a pull): one token cache. */
    final class Operation {
        private String cachedToken;

        RawHttp.Response send(String method, String target, List<String> headers, byte[] body) throws IOException {
            String first = cachedToken != null ? cachedToken : pat;
            RawHttp.Response r = raw.exchange(method, target, with(headers, first), body);
            if (r.status() != 401) {
                return r;
            }
            String challenge = r.header("WWW-Authenticate").orElse(null); // the first one only
            challenges.add(challenge);
            cachedToken = fetchToken(parseChallenge(challenge));
            RawHttp.Response retry = raw.exchange(method, target, with(headers, cachedToken), body);
            if (retry.status() == 401) {
                throw new AkuaAuthError("AuthRequired: second 401 for " + method + " " + target + ": " + retry.text());
            }
            return retry;
        }

        private List<String> with(List<String> headers, String bearer) {
            List<String> out = new ArrayList<>(headers);
            out.add(UA);
            if (bearer != null) {
                out.add("Authorization: Bearer " + bearer);
            }
            return out;
        }

        private String fetchToken(Map<String, String> challenge) throws IOException {
            URI realm = URI.create(challenge.get("realm"));
            StringBuilder query = new StringBuilder();
            for (String key : List.of("service", "scope")) {
                if (challenge.containsKey(key)) {
                    query.append(query.isEmpty() ? "" : "&").append(key).append('=')
                            .append(URLEncoder.encode(challenge.get(key), StandardCharsets.UTF_8));
                }
            }
            String target = realm.getRawPath() + (realm.getRawQuery() == null ? "" : "?" + realm.getRawQuery());
            if (!query.isEmpty()) {
                target += (target.contains("?") ? "&" : "?") + query;
            }
            tokenRequests.add(target);
            List<String> headers = new ArrayList<>(List.of(UA));
            if (basicUser != null) {
                headers.add("Authorization: Basic " + Base64.getEncoder()
                        .encodeToString((basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8)));
            } else if (pat != null) {
                headers.add("Authorization: Bearer " + pat);
            }
            RawHttp realmHttp = new RawHttp(realm.getHost(), realm.getPort() < 0 ? 80 : realm.getPort());
            RawHttp.Response r = realmHttp.exchange("GET", target, headers, null);
            if (r.status() < 200 || r.status() > 299) {
                throw new AkuaAuthError("token request failed: " + r.status() + " " + r.text());
            }
            JsonNode json = JSON.readTree(r.body());
            String token = json.path("token").asText("");
            if (token.isEmpty()) {
                token = json.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new AkuaAuthError("AuthRequired: empty token");
            }
            return token;
        }
    }
}
