package dev.akua.registry.feature.signing;

import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which signing endpoint a path under {@code /api/v1/repositories/} names. Repository names contain
 * {@code /} (and may end in {@code /sign} or contain {@code /signatures}), so, as for {@code /v2}
 * ({@code V2Route}), the name is the greedy prefix and the endpoint is read from the right; where a
 * path fits both endpoints the method decides ({@code POST …/a/signatures/sign} signs in repository
 * {@code a/signatures}; {@code GET} of the same path asks for the signatures of reference {@code sign}
 * in {@code a}). Name and reference are returned unvalidated; the handler parses them.
 *
 * @param endpoint  the endpoint
 * @param name      the repository name
 * @param reference the digest or tag (verification), or null (signing)
 */
record ApiRoute(Endpoint endpoint, String name, String reference) {
    static final String PREFIX = "/api/v1/repositories/";

    enum Endpoint {
        /** {@code GET|HEAD /api/v1/repositories/<name>/signatures/<digest|tag>}: the verification report. */
        SIGNATURES(Pattern.compile("/api/v1/repositories/(.+)/signatures/([^/]+)"), List.of("GET", "HEAD")),
        /** {@code POST /api/v1/repositories/<name>/sign}: server-side signing. */
        SIGN(Pattern.compile("/api/v1/repositories/(.+)/sign"), List.of("POST"));

        private final Pattern pattern;
        private final List<String> methods;

        Endpoint(Pattern pattern, List<String> methods) {
            this.pattern = pattern;
            this.methods = methods;
        }

        List<String> methods() {
            return methods;
        }
    }

    /**
     * The endpoint for {@code path} and {@code method}; empty when the path is none of ours (another
     * feature may own it). A path of ours asked with a method none of its endpoints answers is 405
     * {@code UNSUPPORTED} with {@code Allow}.
     */
    static Optional<ApiRoute> resolve(String path, String method) {
        List<ApiRoute> matches = match(path);
        for (ApiRoute r : matches) {
            if (r.endpoint.methods.contains(method)) {
                return Optional.of(r);
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        Set<String> allowed = new LinkedHashSet<>();
        matches.forEach(r -> allowed.addAll(r.endpoint.methods));
        throw OciException.of(ErrorCode.UNSUPPORTED, method + " is not supported on this endpoint")
                .withHeader("Allow", String.join(", ", allowed));
    }

    /** Every reading of {@code path}, one per endpoint whose pattern fits it. */
    static List<ApiRoute> match(String path) {
        List<ApiRoute> out = new ArrayList<>(2);
        for (Endpoint e : Endpoint.values()) {
            Matcher m = e.pattern.matcher(path);
            if (m.matches()) {
                out.add(new ApiRoute(e, m.group(1), m.groupCount() >= 2 ? m.group(2) : null));
            }
        }
        return out;
    }
}
