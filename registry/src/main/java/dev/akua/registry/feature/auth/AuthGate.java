package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AccessControl;
import dev.akua.registry.auth.Action;
import dev.akua.registry.auth.Scope;
import dev.akua.registry.extension.AccessGate;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The registry's {@link AccessGate} backed by the auth module's {@link AccessControl}: maps the
 * core's {@link RequiredAccess} to Docker token scopes, picks the realm for challenges
 * ({@link TokenRealm}), and carries the auth module's caller inside the core's {@link Caller}
 * ({@code identity}) so the per-object checks see who it is. Refusals are the auth module's
 * {@code OciException}s (401 with the Bearer challenge, 403 {@code DENIED}, 429 with
 * {@code Retry-After}), written by the core's one error handler.
 */
final class AuthGate implements AccessGate {
    private final AccessControl access;
    private final TokenRealm realm;

    AuthGate(AccessControl access, TokenRealm realm) {
        this.access = access;
        this.realm = realm;
    }

    @Override
    public Caller authorize(String authorization, String clientAddress, List<RequiredAccess> required) {
        return authorize(authorization, clientAddress, null, required);
    }

    @Override
    public Caller authorize(String authorization, String clientAddress, String origin, List<RequiredAccess> required) {
        dev.akua.registry.auth.Caller caller = access
                .authorize(authorization, clientAddress, scopes(required), realm.forOrigin(origin))
                .orThrow();
        return wrap(caller);
    }

    @Override
    public boolean mayPull(Caller caller, RepositoryName repository) {
        return access.mayMountFrom(unwrap(caller), repository);
    }

    @Override
    public Predicate<RepositoryName> catalogFilter(Caller caller) {
        return access.catalogFilter(unwrap(caller));
    }

    @Override
    public void checkTagWrite(Caller caller, RepositoryName repository, Tag tag, Optional<Digest> current, Digest next) {
        access.checkTagWrite(unwrap(caller), repository, tag, current, next);
    }

    @Override
    public void checkTagDelete(Caller caller, RepositoryName repository, Tag tag, Digest current) {
        access.checkTagDelete(unwrap(caller), repository, tag);
    }

    @Override
    public void checkManifestDelete(Caller caller, RepositoryName repository, Digest digest, List<Tag> tagsPointingAtIt) {
        access.checkManifestDelete(unwrap(caller), repository, digest, tagsPointingAtIt);
    }

    /** {@code right} is an action name: {@code pull}, {@code push}, {@code delete}, {@code sign}, {@code admin}; others are never held. */
    @Override
    public boolean permits(Caller caller, RepositoryName repository, String right) {
        Optional<Action> action = Action.fromWire(right).filter(Action.REPOSITORY_ACTIONS::contains);
        return action.isPresent() && access.permits(unwrap(caller), repository, action.get());
    }

    static Caller wrap(dev.akua.registry.auth.Caller caller) {
        return new Caller(caller.principal().id(), caller.principal().isAnonymous(), caller.clientAddress(), caller);
    }

    /**
     * The auth module's caller behind a core caller. A caller this gate did not make (a feature's
     * own {@code Caller.anonymous}) is anonymous: it gets what anonymous may do, never more.
     */
    static dev.akua.registry.auth.Caller unwrap(Caller caller) {
        if (caller.identity() instanceof dev.akua.registry.auth.Caller c) {
            return c;
        }
        return dev.akua.registry.auth.Caller.anonymous(caller.clientAddress());
    }

    /** {@code repository:<name>:<actions>} per repository access; {@code registry:catalog:*} for the catalog. */
    static List<Scope> scopes(List<RequiredAccess> required) {
        List<Scope> out = new ArrayList<>(required.size());
        for (RequiredAccess r : required) {
            switch (r.resourceType()) {
                case "registry" -> {
                    if (!r.resourceName().equals("catalog")) {
                        throw new IllegalArgumentException("the only registry resource is catalog: " + r);
                    }
                    out.add(Scope.catalog());
                }
                case "repository" -> {
                    Set<Action> actions = EnumSet.noneOf(Action.class);
                    for (RequiredAccess.Action a : r.actions()) {
                        actions.add(switch (a) {
                            case PULL -> Action.PULL;
                            case PUSH -> Action.PUSH;
                            case DELETE -> Action.DELETE;
                        });
                    }
                    if (actions.isEmpty()) {
                        throw new IllegalArgumentException("repository access without actions: " + r);
                    }
                    out.add(Scope.repository(RepositoryName.parse(r.resourceName()), actions));
                }
                default -> throw new IllegalArgumentException("unknown resource type " + r.resourceType());
            }
        }
        return out;
    }
}
