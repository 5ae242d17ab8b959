package dev.akua.registry.feature.publish;

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
 * Which publishing endpoint a path under {@code /api/v1/repositories/} names. Repository names
 * contain {@code /}, so the name is the greedy prefix and the endpoint is read from the right (as
 * {@code V2Route} does for {@code /v2}). Paths that fit no endpoint belong to another feature.
 *
 * @param endpoint  the endpoint
 * @param name      the repository name, unvalidated
 * @param reference the tag or digest ({@link Endpoint#PACKAGE}), else null
 */
record PublishRoute(Endpoint endpoint, String name, String reference) {
    static final String PREFIX = "/api/v1/repositories/";

    enum Endpoint {
        /** {@code POST /api/v1/repositories/<name>/publish?as=…}: build and store a chart or bundle. */
        PUBLISH(Pattern.compile("/api/v1/repositories/(.+)/publish/?"), List.of("POST")),
        /** {@code GET|HEAD /api/v1/repositories/<name>/packages/<tag|digest>}: akua package metadata. */
        PACKAGE(Pattern.compile("/api/v1/repositories/(.+)/packages/([^/]+)"), List.of("GET", "HEAD"));

        private final Pattern pattern;
        private final List<String> methods;

        Endpoint(Pattern pattern, List<String> methods) {
            this.pattern = pattern;
            this.methods = methods;
        }
    }

    /**
     * The endpoint for {@code path} and {@code method}; empty when the path is not ours. A path of
     * ours asked with another method is 405 {@code UNSUPPORTED} with {@code Allow}.
     */
    static Optional<PublishRoute> resolve(String path, String method) {
        List<PublishRoute> matches = new ArrayList<>(2);
        for (Endpoint e : Endpoint.values()) {
            Matcher m = e.pattern.matcher(path);
            if (m.matches()) {
                matches.add(new PublishRoute(e, m.group(1), m.groupCount() >= 2 ? m.group(2) : null));
            }
        }
        for (PublishRoute r : matches) {
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
}
