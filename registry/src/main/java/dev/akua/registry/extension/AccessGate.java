package dev.akua.registry.extension;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Authentication and authorization of {@code /v2} requests. Every method either returns or throws
 * an {@code OciException} carrying the status (401 with {@code WWW-Authenticate}, 403 {@code DENIED},
 * 429 {@code TOOMANYREQUESTS}) and headers to answer with.
 */
public interface AccessGate {

    /**
     * Authenticates the request and checks it may do {@code required} (empty: any caller the
     * registry accepts, as for {@code GET /v2/}).
     *
     * @param authorization the raw {@code Authorization} header, or null
     */
    Caller authorize(String authorization, String clientAddress, List<RequiredAccess> required);

    /**
     * Same, told where the client sent the request: {@code origin} is the scheme and authority it
     * addressed ({@code http://127.0.0.1:5000}; from the {@code Host} header, else the local
     * address; see {@code Urls.origin}), not validated. A gate whose refusals carry absolute URLs
     * (the token realm of a 401 challenge) derives them from it when no public URL is configured,
     * so the URL works for the client whichever address it used. The default ignores it.
     */
    default Caller authorize(String authorization, String clientAddress, String origin, List<RequiredAccess> required) {
        return authorize(authorization, clientAddress, required);
    }

    /**
     * The form every route uses: the request's {@code Authorization} header, peer address and
     * origin (for the challenge's realm when none is configured).
     */
    default Caller authorize(io.helidon.webserver.http.ServerRequest req, List<RequiredAccess> required) {
        return authorize(req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION).orElse(null),
                req.remotePeer().host(), dev.akua.registry.http.Urls.origin(req), required);
    }

    /** A cross-repository mount needs {@code pull} on the source; false means "fall back to an upload". */
    boolean mayPull(Caller caller, RepositoryName repository);

    /** Which repositories {@code _catalog} shows the caller. */
    Predicate<RepositoryName> catalogFilter(Caller caller);

    /** Before a tag is set (moved or created): immutable tags, tag-level rights. */
    void checkTagWrite(Caller caller, RepositoryName repository, Tag tag, Optional<Digest> current, Digest next);

    void checkTagDelete(Caller caller, RepositoryName repository, Tag tag, Digest current);

    void checkManifestDelete(Caller caller, RepositoryName repository, Digest digest, List<Tag> tagsPointingAtIt);

    /**
     * Whether the caller holds a right that has no {@code /v2} endpoint of its own, such as
     * {@code sign} or {@code admin} (for feature APIs).
     */
    boolean permits(Caller caller, RepositoryName repository, String right);

    /** Everyone may do everything: the embedded quick-start default. */
    AccessGate OPEN = new AccessGate() {
        @Override
        public Caller authorize(String authorization, String clientAddress, List<RequiredAccess> required) {
            return Caller.anonymous(clientAddress);
        }

        @Override
        public boolean mayPull(Caller caller, RepositoryName repository) {
            return true;
        }

        @Override
        public Predicate<RepositoryName> catalogFilter(Caller caller) {
            return repo -> true;
        }

        @Override
        public void checkTagWrite(Caller caller, RepositoryName repository, Tag tag, Optional<Digest> current, Digest next) {
        }

        @Override
        public void checkTagDelete(Caller caller, RepositoryName repository, Tag tag, Digest current) {
        }

        @Override
        public void checkManifestDelete(Caller caller, RepositoryName repository, Digest digest, List<Tag> tagsPointingAtIt) {
        }

        @Override
        public boolean permits(Caller caller, RepositoryName repository, String right) {
            return true;
        }
    };
}
