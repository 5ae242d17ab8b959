package dev.akua.registry.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code WWW-Authenticate} values (RFC 6750 §3 with Docker's {@code realm}/{@code service}/
 * {@code scope} parameters).
 *
 * <p>akua 0.8.5 reads only the first {@code WWW-Authenticate} header, requires it to start with
 * {@code "Bearer "}, splits the rest on <em>every</em> comma, rejects the challenge if a part lacks
 * {@code =}, and strips the quotes (akua-wire-contract.md §1.5, §9 item 2). So no value may contain
 * a comma: several scopes, and several actions of one scope, are written as single-action scopes
 * separated by spaces ({@code scope="repository:a:pull repository:a:push"}), which akua forwards
 * verbatim and Docker-style clients split on spaces. Values are checked here as a last line of
 * defence; configuration already refuses commas and quotes in realm and service.
 */
final class Challenges {
    static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    static final String INVALID_TOKEN = "invalid_token";

    private Challenges() {
    }

    /** {@code Bearer realm="…",service="…"[,scope="…"][,error="…"]}. */
    static String bearer(URI realm, String service, List<Scope> scopes, String error) {
        List<String> params = new ArrayList<>();
        params.add(param("realm", realm.toString()));
        params.add(param("service", service));
        List<String> forms = new ArrayList<>();
        for (Scope s : scopes) {
            for (String f : s.challengeForms()) {
                if (!forms.contains(f)) {
                    forms.add(f);
                }
            }
        }
        if (!forms.isEmpty()) {
            params.add(param("scope", String.join(" ", forms)));
        }
        if (error != null) {
            params.add(param("error", error));
        }
        return "Bearer " + String.join(",", params);
    }

    /** {@code Basic realm="<service>"}, for the token endpoint's own 401. */
    static String basic(String service) {
        return "Basic " + param("realm", service);
    }

    private static String param(String name, String value) {
        if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\\' || c < 0x20 || c == 0x7f)) {
            throw new IllegalStateException("challenge value for " + name + " contains a comma, quote or control character");
        }
        return name + "=\"" + value + "\"";
    }
}
