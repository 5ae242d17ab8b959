package dev.akua.registry.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which endpoint of the distribution-spec (§"Endpoints", end-1 … end-14) a {@code /v2} path names.
 * Repository names contain {@code /}, so the name is the greedy prefix and the endpoint is read from
 * the right: {@code /v2/a/blobs/uploads/blobs/<digest>} is a blob of repository {@code a/blobs/uploads}.
 * The name and reference are returned unvalidated; handlers parse them before touching storage.
 *
 * @param endpoint  the endpoint
 * @param name      the repository name, or null for base and catalog
 * @param reference the tag/digest, upload id or digest, or null
 */
public record V2Route(Endpoint endpoint, String name, String reference) {

    public enum Endpoint {
        /** end-1 {@code /v2/} */
        BASE,
        /** {@code /v2/_catalog} (Docker registry API; not in the OCI spec, widely used) */
        CATALOG,
        /** end-8 {@code /v2/<name>/tags/list} */
        TAGS,
        /** end-3, end-7, end-9 {@code /v2/<name>/manifests/<reference>} */
        MANIFEST,
        /** end-4, end-11 {@code /v2/<name>/blobs/uploads/} */
        UPLOAD_START,
        /** end-5, end-6, end-13, end-14 {@code /v2/<name>/blobs/uploads/<id>} */
        UPLOAD,
        /** end-2, end-10 {@code /v2/<name>/blobs/<digest>} */
        BLOB,
        /** end-12 {@code /v2/<name>/referrers/<digest>} */
        REFERRERS
    }

    private record Rule(Pattern pattern, Endpoint endpoint) {
    }

    // Order matters: the upload rules must win over the blob rule for ".../blobs/uploads/...".
    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("/v2/?"), Endpoint.BASE),
            new Rule(Pattern.compile("/v2/_catalog/?"), Endpoint.CATALOG),
            new Rule(Pattern.compile("/v2/(.+)/tags/list/?"), Endpoint.TAGS),
            new Rule(Pattern.compile("/v2/(.+)/manifests/([^/]+)"), Endpoint.MANIFEST),
            new Rule(Pattern.compile("/v2/(.+)/blobs/uploads/?"), Endpoint.UPLOAD_START),
            new Rule(Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)"), Endpoint.UPLOAD),
            new Rule(Pattern.compile("/v2/(.+)/blobs/([^/]+)"), Endpoint.BLOB),
            new Rule(Pattern.compile("/v2/(.+)/referrers/([^/]+)"), Endpoint.REFERRERS));

    public static Optional<V2Route> match(String path) {
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(path);
            if (m.matches()) {
                String name = m.groupCount() >= 1 ? m.group(1) : null;
                String ref = m.groupCount() >= 2 ? m.group(2) : null;
                return Optional.of(new V2Route(rule.endpoint(), name, ref));
            }
        }
        return Optional.empty();
    }

    /** The HTTP methods the endpoint answers (for 405 and {@code Allow}). */
    public List<String> allowedMethods() {
        return switch (endpoint) {
            case BASE, CATALOG, TAGS, REFERRERS -> List.of("GET", "HEAD");
            case MANIFEST -> List.of("GET", "HEAD", "PUT", "DELETE");
            case UPLOAD_START -> List.of("POST");
            case UPLOAD -> List.of("GET", "PATCH", "PUT", "DELETE");
            case BLOB -> List.of("GET", "HEAD", "DELETE");
        };
    }
}
