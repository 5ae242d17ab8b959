package dev.akua.registry.extension;

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
 * Routing for the features that share {@code /api/v1/repositories/<name>/…} (signing, publishing).
 * Repository names contain {@code /}, so each endpoint's pattern takes the name greedily (group 1)
 * and is recognised by what ends the path, with an optional reference (group 2) — as {@code V2Route}
 * reads {@code /v2} paths from the right. Where one path fits several endpoints the method decides.
 * A path that fits none of a feature's endpoints is another feature's (empty); one that fits but is
 * asked with a method none of them answers is 405 {@code UNSUPPORTED} with {@code Allow}.
 */
public final class ApiPaths {
    public static final String REPOSITORIES = "/api/v1/repositories/";

    private ApiPaths() {
    }

    /** One endpoint of a feature, usually an enum constant. */
    public interface Endpoint {
        /** The whole path; group 1 is the repository name, an optional group 2 the reference. */
        Pattern pattern();

        /** The HTTP methods it answers. */
        List<String> methods();
    }

    /** A reading of a path: the endpoint, the repository name and the reference (null when none), unvalidated. */
    public record Match<E extends Endpoint>(E endpoint, String name, String reference) {
    }

    /** Every reading of {@code path}, one per endpoint whose pattern fits it, in the order given. */
    public static <E extends Endpoint> List<Match<E>> match(E[] endpoints, String path) {
        List<Match<E>> out = new ArrayList<>(2);
        for (E e : endpoints) {
            Matcher m = e.pattern().matcher(path);
            if (m.matches()) {
                out.add(new Match<>(e, m.group(1), m.groupCount() >= 2 ? m.group(2) : null));
            }
        }
        return out;
    }

    /** The reading that answers {@code method}; empty when the path is none of these endpoints. */
    public static <E extends Endpoint> Optional<Match<E>> resolve(E[] endpoints, String path, String method) {
        List<Match<E>> matches = match(endpoints, path);
        for (Match<E> r : matches) {
            if (r.endpoint().methods().contains(method)) {
                return Optional.of(r);
            }
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        Set<String> allowed = new LinkedHashSet<>();
        matches.forEach(r -> allowed.addAll(r.endpoint().methods()));
        throw OciException.of(ErrorCode.UNSUPPORTED, method + " is not supported on this endpoint")
                .withHeader("Allow", String.join(", ", allowed));
    }
}
