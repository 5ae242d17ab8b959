package dev.akua.registry.auth;

import dev.akua.registry.auth.audit.AuditEvent;
import dev.akua.registry.auth.audit.AuditLog;
import dev.akua.registry.auth.audit.JsonLinesAuditLog;
import dev.akua.registry.auth.permission.ImmutableTagPolicy;
import dev.akua.registry.auth.permission.PatternGrant;
import dev.akua.registry.auth.permission.PermissionPolicy;
import dev.akua.registry.auth.permission.RepositoryPattern;
import dev.akua.registry.auth.permission.Subject;
import dev.akua.registry.auth.principal.ApiToken;
import dev.akua.registry.auth.principal.ApiTokenStore;
import dev.akua.registry.auth.principal.UserStore;
import dev.akua.registry.auth.throttle.LoginThrottle;
import dev.akua.registry.auth.token.TokenService;
import dev.akua.registry.auth.token.TokenSigningKey;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The auth module's facade: everything the registry's HTTP layer asks about access. Plain Java,
 * no HTTP types: the layer passes the raw {@code Authorization} header, the client address and the
 * access a request needs, and gets back decisions that carry the exact status, error code and
 * headers to answer with.
 *
 * <ul>
 *   <li>{@link #authorize} for every {@code /v2/…} request;</li>
 *   <li>{@link #issueToken} for {@code GET /token};</li>
 *   <li>per-object checks once the request is known in detail: {@link #mayMountFrom},
 *       {@link #checkTagWrite}, {@link #checkTagDelete}, {@link #checkManifestDelete},
 *       {@link #catalogFilter}, {@link #permits};</li>
 *   <li>{@link #recordPush}, {@link #recordTagMove}, {@link #recordDelete} for the audit log
 *       (token issues, failed logins and denials are recorded here).</li>
 * </ul>
 *
 * <p><b>Credentials on registry requests.</b> {@code Bearer <JWT>} from our token endpoint, and
 * {@code Bearer <robot or personal token>} sent directly (akua 0.8.5 sends a configured token
 * that way, akua-wire-contract.md §1.5). {@code Basic} is not accepted on registry requests: the
 * request is treated as anonymous and, if that is not enough, answered with the Bearer challenge.
 * Every client in scope (akua, Docker, skopeo/podman, Helm/oras) answers a Bearer challenge by
 * going to the token endpoint, akua never answers a Basic one, and checking a bcrypt password on
 * every request would make each request cost ~50 ms of CPU and turn the registry into a password
 * oracle without the token endpoint's throttling.
 *
 * <p>Thread-safe. Close it to close the audit log.
 */
public final class AccessControl implements AutoCloseable {
    /** A token request may name at most this many scopes. */
    static final int MAX_SCOPES = 32;

    private final AuthConfig config;
    private final Clock clock;
    private final UserStore users;
    private final ApiTokenStore apiTokens;
    private final PermissionPolicy policy;
    private final ImmutableTagPolicy immutable;
    /** Built at construction when auth is on or a key is configured; otherwise at first use (see {@link #tokens()}). */
    private volatile TokenService tokens;
    private final Object tokensLock = new Object();
    private final SecureRandom random;
    private final LoginThrottle throttle;
    private final AuditLog audit;

    private AccessControl(AuthConfig config, Clock clock, SecureRandom random, AuditLog audit) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.users = new UserStore(config.usersFile(), config.bcryptCost(), random);
        this.apiTokens = new ApiTokenStore(config.tokensFile(), clock, random);
        PermissionPolicy configured = policyOf(config); // validated even when off, so a typo shows before it matters
        this.policy = config.enabled() ? configured : PermissionPolicy.openToEveryone();
        this.immutable = new ImmutableTagPolicy(config.immutableTags().stream()
                .map(r -> ImmutableTagPolicy.Rule.of(r.repository(), r.tags())).toList());
        this.random = random;
        // Locked down, or with a configured key: load (or create) it now, so a bad key stops the
        // start. Open with the default key path: create it only when a token is first issued or
        // checked, so the open quick start leaves no files behind until something needs them.
        if (config.enabled() || !config.generateSigningKey()) {
            this.tokens = newTokenService();
        }
        this.throttle = new LoginThrottle(config.throttle(), clock);
    }

    private TokenService newTokenService() {
        TokenSigningKey key = config.generateSigningKey()
                ? TokenSigningKey.loadOrGenerate(config.signingKeyFile(), random)
                : TokenSigningKey.load(config.signingKeyFile());
        return new TokenService(key, config.issuer(), config.service(), config.tokenLifetime(), clock, random);
    }

    private TokenService tokens() {
        TokenService t = tokens;
        if (t == null) {
            synchronized (tokensLock) {
                t = tokens;
                if (t == null) {
                    t = newTokenService();
                    tokens = t;
                }
            }
        }
        return t;
    }

    /**
     * Builds the facade: reads the users and tokens files, loads (or creates) the signing key,
     * opens the audit log at the configured path. With auth off and the default key path, the key
     * is created when first needed and the audit file with the first event.
     *
     * @throws IllegalArgumentException for configuration errors, with a message naming the setting
     */
    public static AccessControl create(AuthConfig config, Clock clock) {
        // Open (the quick start): the file appears with the first event, not at start.
        AuditLog audit = config.auditLog().<AuditLog>map(p -> config.enabled() ? new JsonLinesAuditLog(p, clock)
                : JsonLinesAuditLog.deferred(p, clock)).orElseGet(AuditLog::discard);
        try {
            return new AccessControl(config, clock, new SecureRandom(), audit);
        } catch (RuntimeException e) {
            audit.close();
            throw e;
        }
    }

    /** Same, with the audit events going to {@code audit} instead of the configured path. */
    public static AccessControl create(AuthConfig config, Clock clock, AuditLog audit) {
        return new AccessControl(config, clock, new SecureRandom(), audit);
    }

    static PermissionPolicy policyOf(AuthConfig config) {
        List<PermissionPolicy.Rule> rules = new ArrayList<>();
        List<AuthConfig.Permission> configured = config.permissions().isEmpty()
                ? List.of(new AuthConfig.Permission("**", Map.of("authenticated", List.of("pull", "push"))))
                : config.permissions();
        for (AuthConfig.Permission p : configured) {
            Map<Subject, Set<Action>> grants = new LinkedHashMap<>();
            p.grants().forEach((subject, actions) -> grants.put(subjectOf(subject, p.repository()), actionsOf(actions, p.repository())));
            rules.add(new PermissionPolicy.Rule(RepositoryPattern.parse(p.repository()), grants));
        }
        Map<String, Set<Principal>> groups = new LinkedHashMap<>();
        config.groups().forEach((name, members) -> {
            Set<Principal> set = new HashSet<>();
            for (String m : members) {
                set.add(m.contains(":") ? Principal.parse(m) : Principal.user(m));
            }
            groups.put(name, set);
        });
        Set<Subject> admins = new LinkedHashSet<>();
        for (String a : config.admins()) {
            Subject s = Subject.parse(a);
            if (s.kind() == Subject.Kind.ANONYMOUS || s.kind() == Subject.Kind.AUTHENTICATED) {
                throw new IllegalArgumentException("auth.admins: '" + a + "' is too broad; name users, groups or robots");
            }
            admins.add(s);
        }
        return new PermissionPolicy(rules, groups, admins);
    }

    private static Subject subjectOf(String subject, String repository) {
        try {
            return Subject.parse(subject);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.permissions '" + repository + "': " + e.getMessage(), e);
        }
    }

    private static Set<Action> actionsOf(List<String> names, String repository) {
        EnumSet<Action> out = EnumSet.noneOf(Action.class);
        for (String n : names) {
            Action a = Action.fromWire(n.trim()).filter(Action.REPOSITORY_ACTIONS::contains)
                    .orElseThrow(() -> new IllegalArgumentException("auth.permissions '" + repository + "': unknown action '"
                            + n + "' (use pull, push, delete, sign, admin)"));
            out.add(a);
        }
        return out;
    }

    // ---------------------------------------------------------------- registry requests

    /**
     * Decides whether a registry request may go on.
     *
     * @param authorization the raw {@code Authorization} header, or null
     * @param clientAddress the client's address (for throttling and the audit log)
     * @param required      the access the request needs (for example
     *                      {@code Scope.repository(name, PULL)} for a manifest GET); empty for the
     *                      {@code GET /v2/} base check, which only needs some valid credential
     *                      (or auth off)
     */
    public AuthDecision authorize(String authorization, String clientAddress, List<Scope> required) {
        return authorize(authorization, clientAddress, required, null);
    }

    /**
     * Same, with the token endpoint's URL as this client reaches it: the HTTP layer derives it
     * per request (from {@code http.publicUrl} or the request's {@code Host}) when
     * {@code auth.realm} is not configured, so the challenge works for loopback, LAN and proxied
     * clients alike. Null means the configured {@code auth.realm}.
     *
     * @throws IllegalArgumentException if {@code realm} is not an absolute http(s) URL free of
     *                                  commas, quotes and control characters (it goes into the challenge)
     */
    public AuthDecision authorize(String authorization, String clientAddress, List<Scope> required, URI realm) {
        List<Scope> need = List.copyOf(required);
        if (realm != null) {
            AuthConfig.checkRealm(realm);
        }
        URI challengeRealm = realm != null ? realm : config.realm().orElse(null);
        Credentials credentials = Credentials.parse(authorization);
        if (!config.enabled()) {
            return new AuthDecision.Allowed(identifyLeniently(credentials, clientAddress));
        }
        return switch (credentials) {
            case Credentials.None n -> anonymousRequest(clientAddress, need, challengeRealm);
            case Credentials.Basic b -> anonymousRequest(clientAddress, need, challengeRealm);
            case Credentials.OtherScheme o -> anonymousRequest(clientAddress, need, challengeRealm);
            case Credentials.Malformed m -> unauthorized(challengeRealm, need, Challenges.INVALID_TOKEN, "invalid authorization header: " + m.reason());
            case Credentials.Bearer b when ApiTokenStore.looksLikeSecret(b.token()) -> apiTokenRequest(b.token(), clientAddress, need, challengeRealm);
            case Credentials.Bearer b when looksLikeJwt(b.token()) -> jwtRequest(b.token(), clientAddress, need, challengeRealm);
            case Credentials.Bearer b -> {
                Optional<Duration> wait = throttle.retryAfter(clientAddress, null);
                if (wait.isPresent()) {
                    yield new AuthDecision.Throttled(wait.get(), "too many failed logins; retry later");
                }
                throttle.recordFailure(clientAddress, null);
                audit.record(AuditEvent.loginFailed("unknown", clientAddress, "unrecognised bearer token"));
                yield unauthorized(challengeRealm, need, Challenges.INVALID_TOKEN, "invalid token");
            }
        };
    }

    private AuthDecision anonymousRequest(String clientAddress, List<Scope> need, URI realm) {
        if (need.isEmpty()) {
            return unauthorized(realm, need, null, "authentication required");
        }
        Caller caller = new Caller(Principal.anonymous(), Optional.empty(), clientAddress, Caller.Credential.NONE, Optional.empty());
        return check(caller, need, realm);
    }

    private AuthDecision apiTokenRequest(String secret, String clientAddress, List<Scope> need, URI realm) {
        Optional<Duration> wait = throttle.retryAfter(clientAddress, null);
        if (wait.isPresent()) {
            return new AuthDecision.Throttled(wait.get(), "too many failed logins from this address; retry later");
        }
        return switch (apiTokens.authenticate(secret)) {
            case ApiTokenStore.Lookup.Valid v -> check(
                    new Caller(v.token().principal(), Optional.of(v.token()), clientAddress, Caller.Credential.API_TOKEN, Optional.empty()),
                    need, realm);
            case ApiTokenStore.Lookup.Invalid inv -> {
                throttle.recordFailure(clientAddress, null);
                audit.record(AuditEvent.loginFailed(tokenLabel(secret), clientAddress, inv.reason()));
                yield unauthorized(realm, need, Challenges.INVALID_TOKEN, "invalid, expired or revoked token");
            }
        };
    }

    private AuthDecision jwtRequest(String jwt, String clientAddress, List<Scope> need, URI realm) {
        return switch (tokens().verify(jwt)) {
            case TokenService.Verification.Invalid inv -> {
                if (!inv.expired()) {
                    audit.record(AuditEvent.loginFailed("unknown", clientAddress, "bearer JWT refused: " + inv.reason()));
                }
                yield unauthorized(realm, need, Challenges.INVALID_TOKEN, inv.reason());
            }
            case TokenService.Verification.Valid ok -> {
                Optional<Identity> identity = resolve(ok.subject(), ok.tokenId());
                if (identity.isEmpty()) {
                    yield unauthorized(realm, need, Challenges.INVALID_TOKEN,
                            "token no longer valid: its user was removed or its robot/personal token revoked");
                }
                Caller caller = new Caller(identity.get().principal(), identity.get().token(), clientAddress,
                        Caller.Credential.JWT, Optional.of(ok.access()));
                yield check(caller, need, realm);
            }
        };
    }

    /** Allowed, 401 (a better token would help), or 403 (it would not). */
    private AuthDecision check(Caller caller, List<Scope> need, URI realm) {
        List<String> missing = new ArrayList<>();
        boolean rightsLacking = false;
        for (Scope scope : need) {
            for (Action action : scope.actions()) {
                boolean byRights = rightsAllow(caller, scope, action);
                boolean byToken = tokenAllows(caller, scope, action);
                if (!byRights || !byToken) {
                    missing.add(action.wireName() + " on " + scope.name());
                    rightsLacking |= !byRights;
                }
            }
        }
        if (missing.isEmpty()) {
            return new AuthDecision.Allowed(caller);
        }
        String insufficient = caller.credential() == Caller.Credential.NONE ? null : Challenges.INSUFFICIENT_SCOPE;
        if (caller.principal().isAnonymous()) {
            return unauthorized(realm, need, insufficient, "authentication required");
        }
        if (!rightsLacking) {
            return unauthorized(realm, need, Challenges.INSUFFICIENT_SCOPE, "token lacks " + String.join(", ", missing));
        }
        String message = caller.principal().id() + " may not " + String.join(", ", missing);
        audit.record(AuditEvent.permissionDenied(caller.principal().id(), caller.clientAddress(),
                need.isEmpty() ? null : need.get(0).name(), null, message));
        return new AuthDecision.Denied(message);
    }

    private AuthDecision.Unauthorized unauthorized(URI realm, List<Scope> need, String error, String message) {
        if (realm == null) {
            throw new IllegalStateException("no realm: configure auth.realm or pass the realm per request");
        }
        return new AuthDecision.Unauthorized(Challenges.bearer(realm, config.service(), need, error), message, need);
    }

    /** Auth off: name the caller if its credential is good and cheap to check, else anonymous. */
    private Caller identifyLeniently(Credentials credentials, String clientAddress) {
        if (credentials instanceof Credentials.Bearer b) {
            if (ApiTokenStore.looksLikeSecret(b.token())
                    && apiTokens.authenticate(b.token()) instanceof ApiTokenStore.Lookup.Valid v) {
                return new Caller(v.token().principal(), Optional.of(v.token()), clientAddress, Caller.Credential.API_TOKEN, Optional.empty());
            }
            if (looksLikeJwt(b.token()) && tokens().verify(b.token()) instanceof TokenService.Verification.Valid ok) {
                Optional<Identity> id = resolve(ok.subject(), ok.tokenId());
                if (id.isPresent()) {
                    return new Caller(id.get().principal(), id.get().token(), clientAddress, Caller.Credential.JWT, Optional.empty());
                }
            }
        }
        return new Caller(Principal.anonymous(), Optional.empty(), clientAddress, Caller.Credential.NONE, Optional.empty());
    }

    // ---------------------------------------------------------------- token endpoint

    /**
     * Answers {@code GET /token?service=…&scope=…}.
     *
     * @param authorization   the raw {@code Authorization} header, or null: {@code Basic user:password},
     *                        {@code Basic <any name>:<robot or personal token>},
     *                        {@code Bearer <robot or personal token>}, or nothing (anonymous)
     * @param clientAddress   the client's address
     * @param service         the {@code service} parameter, or null; if given it must be this registry's
     * @param scopeParameters every {@code scope} parameter as received; each may hold several
     *                        space-separated scopes (akua forwards the challenge's value verbatim)
     * @return a token granting, per requested scope, the requested actions the caller holds (maybe
     *         none: Docker token servers answer an anonymous or partly permitted request with a token
     *         for what is permitted), or a refusal: 401 for wrong credentials, 429 when throttled,
     *         400 for bad parameters
     */
    public TokenDecision issueToken(String authorization, String clientAddress, String service, List<String> scopeParameters) {
        if (service != null && !service.isEmpty() && !service.equals(config.service())) {
            return new TokenDecision.BadRequest(OciException.of(ErrorCode.UNSUPPORTED,
                    "unknown service " + Scope.abbreviate(service) + "; this registry is '" + config.service() + "'").withStatus(400));
        }
        List<Scope> requested = new ArrayList<>();
        try {
            for (String param : scopeParameters == null ? List.<String>of() : scopeParameters) {
                if (param == null) {
                    continue;
                }
                for (String part : param.trim().split("\\s+")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    if (requested.size() >= MAX_SCOPES) {
                        return new TokenDecision.BadRequest(OciException.of(ErrorCode.UNSUPPORTED,
                                "too many scopes (at most " + MAX_SCOPES + ")").withStatus(400));
                    }
                    Scope.parseRequested(part).ifPresent(requested::add);
                }
            }
        } catch (OciException e) {
            return new TokenDecision.BadRequest(e);
        }

        Credentials credentials = Credentials.parse(authorization);
        Identity identity;
        switch (credentials) {
            case Credentials.None n -> identity = new Identity(Principal.anonymous(), Optional.empty());
            case Credentials.Basic b when ApiTokenStore.looksLikeSecret(new String(b.password())) -> {
                ApiTokenLogin login = apiTokenLogin(new String(b.password()), clientAddress);
                if (login.refusal() != null) {
                    return login.refusal();
                }
                identity = login.identity();
            }
            case Credentials.Basic b -> {
                Optional<Duration> wait = throttle.retryAfter(clientAddress, b.user());
                if (wait.isPresent()) {
                    return new TokenDecision.Throttled(wait.get(), "too many failed logins for this user or from this address; retry later");
                }
                if (!users.verify(b.user(), b.password())) {
                    throttle.recordFailure(clientAddress, b.user());
                    audit.record(AuditEvent.loginFailed("user:" + b.user(), clientAddress, "wrong user name or password"));
                    return wrongCredentials();
                }
                identity = new Identity(Principal.user(b.user()), Optional.empty());
            }
            case Credentials.Bearer b when ApiTokenStore.looksLikeSecret(b.token()) -> {
                ApiTokenLogin login = apiTokenLogin(b.token(), clientAddress);
                if (login.refusal() != null) {
                    return login.refusal();
                }
                identity = login.identity();
            }
            case Credentials.Bearer b -> {
                return new TokenDecision.Unauthorized(
                        "the token endpoint takes Basic credentials, or a robot or personal token as Bearer", Challenges.basic(config.service()));
            }
            case Credentials.OtherScheme o -> {
                return new TokenDecision.Unauthorized("unsupported authorization scheme " + Scope.abbreviate(o.scheme()),
                        Challenges.basic(config.service()));
            }
            case Credentials.Malformed m -> {
                throttle.recordFailure(clientAddress, null);
                audit.record(AuditEvent.loginFailed("unknown", clientAddress, "malformed credentials: " + m.reason()));
                return new TokenDecision.Unauthorized("invalid authorization header: " + m.reason(), Challenges.basic(config.service()));
            }
        }

        Caller caller = new Caller(identity.principal(), identity.token(), clientAddress, Caller.Credential.NONE, Optional.empty());
        List<Scope> granted = grant(caller, requested);
        TokenService.Issued issued = tokens().issue(identity.principal().id(), identity.token().map(ApiToken::id), granted);
        audit.record(AuditEvent.tokenIssue(identity.principal().id(), clientAddress,
                granted.isEmpty() ? "(no scopes)" : granted.stream().map(Scope::toString).collect(Collectors.joining(" "))));
        return new TokenDecision.Issued(new TokenResponse(issued.token(), issued.expiresIn().toSeconds(), issued.issuedAt(),
                granted, identity.principal()));
    }

    /** Either the identity a robot or personal token stands for, or the refusal. */
    private record ApiTokenLogin(Identity identity, TokenDecision.Refusal refusal) {
    }

    private ApiTokenLogin apiTokenLogin(String secret, String clientAddress) {
        Optional<Duration> wait = throttle.retryAfter(clientAddress, null);
        if (wait.isPresent()) {
            return new ApiTokenLogin(null, new TokenDecision.Throttled(wait.get(), "too many failed logins from this address; retry later"));
        }
        return switch (apiTokens.authenticate(secret)) {
            case ApiTokenStore.Lookup.Valid v -> new ApiTokenLogin(new Identity(v.token().principal(), Optional.of(v.token())), null);
            case ApiTokenStore.Lookup.Invalid inv -> {
                throttle.recordFailure(clientAddress, null);
                audit.record(AuditEvent.loginFailed(tokenLabel(secret), clientAddress, inv.reason()));
                yield new ApiTokenLogin(null, wrongCredentials());
            }
        };
    }

    private TokenDecision.Unauthorized wrongCredentials() {
        return new TokenDecision.Unauthorized("invalid credentials", Challenges.basic(config.service()));
    }

    /** Requested ∩ permitted, one entry per resource, in request order. */
    private List<Scope> grant(Caller caller, List<Scope> requested) {
        Map<String, Scope> merged = new LinkedHashMap<>();
        for (Scope s : requested) {
            EnumSet<Action> ok = EnumSet.noneOf(Action.class);
            for (Action a : s.actions()) {
                if (rightsAllow(caller, s, a)) {
                    ok.add(a);
                }
            }
            s.withActions(ok).ifPresent(g -> merged.merge(g.type() + ":" + g.name(), g, (x, y) -> {
                EnumSet<Action> both = EnumSet.copyOf(x.actions());
                both.addAll(y.actions());
                return new Scope(x.type(), x.name(), both);
            }));
        }
        return List.copyOf(merged.values());
    }

    // ---------------------------------------------------------------- per-object checks

    /**
     * A cross-repository mount ({@code POST …/blobs/uploads/?mount=…&from=<source>}) needs
     * {@code pull} on the source (ARCHITECTURE.md rule 7). When this is false the registry must
     * not mount and must answer as for a plain upload start (202 with a session), never 201, so
     * nothing reveals that the blob exists in a repository the caller cannot read.
     */
    public boolean mayMountFrom(Caller caller, RepositoryName source) {
        boolean ok = permits(caller, source, Action.PULL);
        if (!ok) {
            audit.record(AuditEvent.permissionDenied(caller.principal().id(), caller.clientAddress(), source.value(), null,
                    "mount source needs pull; falling back to a plain upload"));
        }
        return ok;
    }

    /**
     * Before a manifest PUT by tag: needs {@code push}; moving an immutable tag (it exists and
     * points elsewhere) is refused. Re-putting the digest a tag already has is not a move and is
     * allowed, so retried and repeated publishes of the same bytes succeed.
     *
     * @param current the digest the tag points to now, or empty if the tag does not exist
     * @param next    the digest of the manifest being put
     * @throws OciException {@code DENIED} (403) naming the missing right or the immutability rule
     */
    public void checkTagWrite(Caller caller, RepositoryName repository, Tag tag, Optional<Digest> current, Digest next) {
        requireAction(caller, repository, tag.value(), Action.PUSH);
        if (current.isPresent() && !current.get().equals(next)) {
            Optional<ImmutableTagPolicy.Rule> rule = immutable.protecting(repository, tag);
            if (rule.isPresent()) {
                deny(caller, repository, tag.value(), "tag " + tag + " in " + repository + " is immutable (rule: "
                        + rule.get().describe() + ") and already points to " + current.get() + "; publish a new version instead");
            }
        }
    }

    /**
     * Before {@code DELETE …/manifests/<tag>}: needs {@code delete}; refused for an immutable tag.
     * Call it once the tag is known to exist (an unknown tag is 404, not 403).
     */
    public void checkTagDelete(Caller caller, RepositoryName repository, Tag tag) {
        requireAction(caller, repository, tag.value(), Action.DELETE);
        immutable.protecting(repository, tag).ifPresent(rule -> deny(caller, repository, tag.value(),
                "tag " + tag + " in " + repository + " is immutable (rule: " + rule.describe() + ") and cannot be deleted"));
    }

    /**
     * Before {@code DELETE …/manifests/<digest>}: needs {@code delete}; refused if any of the tags
     * that point at the manifest is immutable (deleting the manifest would delete the tag).
     */
    public void checkManifestDelete(Caller caller, RepositoryName repository, Digest digest, Collection<Tag> tagsPointingAtIt) {
        requireAction(caller, repository, digest.toString(), Action.DELETE);
        for (Tag tag : tagsPointingAtIt) {
            immutable.protecting(repository, tag).ifPresent(rule -> deny(caller, repository, digest.toString(),
                    "manifest " + digest + " in " + repository + " carries immutable tag " + tag + " (rule: " + rule.describe()
                            + ") and cannot be deleted"));
        }
    }

    /**
     * Which repositories {@code GET /v2/_catalog} may list for this caller: those it may pull,
     * judged by its rights (a token for {@code registry:catalog:*} does not name repositories).
     */
    public Predicate<RepositoryName> catalogFilter(Caller caller) {
        return repository -> rightsOn(caller, repository).contains(Action.PULL);
    }

    /** True if the caller may do {@code action} on {@code repository} (for {@code sign}, {@code admin} and the like). */
    public boolean permits(Caller caller, RepositoryName repository, Action action) {
        Scope scope = Scope.repository(repository, action);
        return rightsAllow(caller, scope, action) && tokenAllows(caller, scope, action);
    }

    /** True if {@code tag} could never be moved or deleted once it exists in {@code repository}. */
    public boolean isImmutable(RepositoryName repository, Tag tag) {
        return immutable.protecting(repository, tag).isPresent();
    }

    private void requireAction(Caller caller, RepositoryName repository, String reference, Action action) {
        if (!permits(caller, repository, action)) {
            deny(caller, repository, reference, caller.principal().id() + " may not " + action.wireName() + " on " + repository);
        }
    }

    private void deny(Caller caller, RepositoryName repository, String reference, String message) {
        audit.record(AuditEvent.permissionDenied(caller.principal().id(), caller.clientAddress(), repository.value(), reference, message));
        throw new AuthDecision.Denied(message).toException();
    }

    // ---------------------------------------------------------------- audit of what the registry did

    /** A blob or manifest was stored ({@code reference}: the tag or digest the request named). */
    public void recordPush(Caller caller, RepositoryName repository, String reference, Digest digest) {
        audit.record(AuditEvent.push(caller.principal().id(), caller.clientAddress(), repository.value(), reference, digest.toString()));
    }

    /** An existing tag was moved from {@code from} to {@code to}. */
    public void recordTagMove(Caller caller, RepositoryName repository, Tag tag, Digest from, Digest to) {
        audit.record(AuditEvent.tagMove(caller.principal().id(), caller.clientAddress(), repository.value(), tag.value(),
                from.toString(), to.toString()));
    }

    /** A tag, manifest or blob was deleted. */
    public void recordDelete(Caller caller, RepositoryName repository, String reference, Digest digest) {
        audit.record(AuditEvent.delete(caller.principal().id(), caller.clientAddress(), repository.value(), reference,
                digest == null ? null : digest.toString()));
    }

    /** The audit sink, for events this facade has no helper for. */
    public AuditLog audit() {
        return audit;
    }

    // ---------------------------------------------------------------- effective permissions (CLI)

    /**
     * What a principal may do on a repository and why.
     *
     * @param principal     the principal
     * @param groups        its groups
     * @param actions       its actions ({@code admin} expanded)
     * @param decidedBy     which rule or scope decided, in words
     * @param immutableRule the immutability rule in force for the repository, in words, if any
     */
    public record EffectivePermissions(Principal principal, Set<String> groups, Set<Action> actions, String decidedBy,
                                       Optional<String> immutableRule) {
    }

    /**
     * The effective permissions of {@code principal} on {@code repository}. For a robot the rights
     * of its active token are used.
     *
     * @throws IllegalArgumentException if the user or robot does not exist
     */
    public EffectivePermissions effectivePermissions(Principal principal, RepositoryName repository) {
        Optional<ApiToken> token = Optional.empty();
        if (principal.kind() == Principal.Kind.ROBOT) {
            token = apiTokens.list().stream()
                    .filter(t -> t.kind() == ApiToken.Kind.ROBOT && t.name().equals(principal.name())
                            && t.status(clock.instant()) == ApiToken.Status.ACTIVE)
                    .findFirst();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("no active robot named '" + principal.name() + "'");
            }
        } else if (principal.kind() == Principal.Kind.USER && !users.exists(principal.name())) {
            throw new IllegalArgumentException("no user named '" + principal.name() + "' in " + config.usersFile());
        }
        Caller caller = new Caller(principal, token, "", Caller.Credential.NONE, Optional.empty());
        Set<Action> actions = rightsOn(caller, repository);
        String decidedBy;
        if (!config.enabled()) {
            decidedBy = "auth is off: everyone may do everything";
        } else {
            PermissionPolicy.Evaluation e = policy.evaluate(principal, repository);
            decidedBy = e.globalAdmin() ? "global admin (auth.admins)"
                    : e.rule().map(r -> "permission rule '" + r.pattern() + "'").orElse("no permission rule matches");
            if (token.isPresent() && !token.get().scopes().isEmpty()) {
                decidedBy += "; robot scopes " + token.get().scopes();
            }
        }
        Optional<String> rule = immutable.ruleFor(repository).filter(r -> r.tags().isPresent()).map(ImmutableTagPolicy.Rule::describe);
        return new EffectivePermissions(principal, policy.groupsOf(principal), actions, decidedBy, rule);
    }

    public boolean enabled() {
        return config.enabled();
    }

    public AuthConfig config() {
        return config;
    }

    /** Lines of the users file that cannot log in, for the startup log. */
    public List<String> userFileProblems() {
        return users.problems();
    }

    @Override
    public void close() {
        audit.close();
    }

    // ---------------------------------------------------------------- rights

    /** A principal as the credential established it: the robot or personal token behind it, if any. */
    private record Identity(Principal principal, Optional<ApiToken> token) {
    }

    /** The principal a valid JWT names, if it still exists (users) or its token is still active. */
    private Optional<Identity> resolve(String subject, Optional<String> tokenId) {
        Principal principal;
        try {
            principal = Principal.parse(subject);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (tokenId.isPresent()) {
            return apiTokens.byId(tokenId.get())
                    .filter(t -> t.status(clock.instant()) == ApiToken.Status.ACTIVE && t.principal().equals(principal))
                    .map(t -> new Identity(principal, Optional.of(t)));
        }
        return switch (principal.kind()) {
            case ANONYMOUS -> Optional.of(new Identity(principal, Optional.empty()));
            case USER -> users.exists(principal.name()) ? Optional.of(new Identity(principal, Optional.empty())) : Optional.empty();
            case ROBOT -> Optional.empty();
        };
    }

    /** What the principal behind the caller may do on a repository now, ignoring any JWT limit. */
    private Set<Action> rightsOn(Caller caller, RepositoryName repository) {
        if (!config.enabled()) {
            return Action.REPOSITORY_ACTIONS;
        }
        EnumSet<Action> rights = EnumSet.noneOf(Action.class);
        rights.addAll(policy.actions(caller.principal(), repository));
        Optional<ApiToken> token = caller.apiToken();
        if (token.isPresent() && token.get().kind() == ApiToken.Kind.ROBOT) {
            rights.addAll(PatternGrant.actionsOn(token.get().scopes(), repository));
        } else if (token.isPresent() && !token.get().scopes().isEmpty()) {
            rights.retainAll(PatternGrant.actionsOn(token.get().scopes(), repository));
        }
        return rights;
    }

    private boolean rightsAllow(Caller caller, Scope scope, Action action) {
        if (scope.type() == ResourceType.REGISTRY) {
            if (!config.enabled()) {
                return true;
            }
            Optional<ApiToken> token = caller.apiToken();
            if (token.isPresent() && token.get().kind() == ApiToken.Kind.ROBOT) {
                return policy.mayPullSomewhere(caller.principal()) || PatternGrant.anyPull(token.get().scopes());
            }
            boolean viaPolicy = policy.mayPullSomewhere(caller.principal());
            return token.map(t -> viaPolicy && (t.scopes().isEmpty() || PatternGrant.anyPull(t.scopes()))).orElse(viaPolicy);
        }
        return rightsOn(caller, scope.repository()).contains(action);
    }

    private static boolean tokenAllows(Caller caller, Scope scope, Action action) {
        if (caller.tokenAccess().isEmpty()) {
            return true;
        }
        for (Scope granted : caller.tokenAccess().get()) {
            if (granted.sameResource(scope) && Action.withImplied(granted.actions()).contains(action)) {
                return true;
            }
        }
        return false;
    }

    /** Three dot-separated parts (the signature may be empty: an {@code alg: none} token is a JWT to refuse, not an API token). */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        return first > 0 && last > first + 1 && token.indexOf('.', first + 1) == last;
    }

    /** How a presented token secret is named in the audit log: its public id, never the secret. */
    private static String tokenLabel(String secret) {
        return ApiTokenStore.looksLikeSecret(secret) ? "token:" + secret.substring(4, 20) : "unknown";
    }
}
