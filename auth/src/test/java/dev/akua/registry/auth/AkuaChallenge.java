package dev.akua.registry.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a {@code WWW-Authenticate} value exactly as akua 0.8.5 does
 * (akua-wire-contract.md §1.5, {@code oci_transport.rs:122-144}): it must start with
 * {@code "Bearer "} (exact case, one space); the rest is split on every comma; every part must
 * contain {@code =} or the whole challenge is rejected; keys and values are trimmed and the
 * surrounding quotes removed.
 */
final class AkuaChallenge {
    private AkuaChallenge() {
    }

    static Map<String, String> parse(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            throw new AssertionError("akua rejects a challenge that does not start with 'Bearer ': " + header);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : header.substring("Bearer ".length()).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new AssertionError("akua rejects the challenge: part without '=': '" + part + "' in " + header);
            }
            String value = part.substring(eq + 1).trim();
            while (value.startsWith("\"")) {
                value = value.substring(1);
            }
            while (value.endsWith("\"")) {
                value = value.substring(0, value.length() - 1);
            }
            params.put(part.substring(0, eq).trim(), value);
        }
        if (!params.containsKey("realm")) {
            throw new AssertionError("akua requires realm: " + header);
        }
        return params;
    }
}
