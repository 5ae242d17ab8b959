package dev.akua.registry.auth;

import dev.akua.registry.auth.throttle.LoginThrottle;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Access-control settings, the target the registry's YAML {@code auth:} section maps onto
 * (proposed keys in brackets; see {@code docs/notes/auth.md}). {@link #builder(Path)} gives the
 * defaults for a data directory: <b>auth off</b> — everyone may do everything, the embedded quick
 * start — and {@code enabled(true)} is the one setting that locks the registry down.
 *
 * @param enabled             [{@code auth.enabled}, false] off: every request is allowed, credentials are only used to name the caller
 * @param service             [{@code auth.service}, {@code akua-registry}] the token audience and the challenge's {@code service}
 * @param issuer              [{@code auth.issuer}, {@code akua-registry}] the token {@code iss}
 * @param realm               [{@code auth.realm}] absolute URL of the token endpoint as clients reach it; required when enabled
 * @param tokenLifetime       [{@code auth.tokenLifetime}, 1h] validity of issued JWTs
 * @param signingKeyFile      [{@code auth.signingKey}] PEM private key; default {@code <data>/auth/token-signing-key.pem}
 * @param generateSigningKey  true if the key file is created when missing (only for the default path:
 *                            a configured key that is missing is an error, so replicas never drift apart)
 * @param usersFile           [{@code auth.usersFile}, {@code <data>/auth/htpasswd}] htpasswd file with bcrypt entries
 * @param tokensFile          [{@code auth.tokensFile}, {@code <data>/auth/tokens.json}] robot and personal tokens
 * @param bcryptCost          [{@code auth.bcryptCost}, 10] cost of hashes the CLI writes
 * @param groups              [{@code auth.groups}] group name to members ({@code alice}, {@code user:alice}, {@code robot:ci})
 * @param admins              [{@code auth.admins}] subjects with every right everywhere ({@code user:…}, {@code group:…}, {@code robot:…})
 * @param permissions         [{@code auth.permissions}] rules; empty means the locked default
 *                            ({@code **}: authenticated may pull and push)
 * @param immutableTags       [{@code auth.immutableTags}, {@code [{repository: "**", tags: semver}]}] tag rules
 * @param auditLog            [{@code auth.auditLog}, {@code <data>/auth/audit.jsonl}] empty turns auditing off
 * @param throttle            [{@code auth.throttle.*}] login throttling
 */
public record AuthConfig(boolean enabled, String service, String issuer, Optional<URI> realm, Duration tokenLifetime,
                         Path signingKeyFile, boolean generateSigningKey, Path usersFile, Path tokensFile, int bcryptCost,
                         Map<String, List<String>> groups, List<String> admins, List<Permission> permissions,
                         List<ImmutableTags> immutableTags, Optional<Path> auditLog, LoginThrottle.Limits throttle) {

    /**
     * One permission rule [{@code auth.permissions[]}]: {@code repository: "team-a/**"},
     * {@code grants: {"user:alice": [pull, push], "group:ci": [push, sign], anonymous: [pull]}}.
     *
     * @param repository repository glob
     * @param grants     subject to action names
     */
    public record Permission(String repository, Map<String, List<String>> grants) {
        public Permission {
            Objects.requireNonNull(repository, "repository");
            grants = copy(grants);
        }
    }

    /**
     * One immutability rule [{@code auth.immutableTags[]}]: {@code repository: "**"},
     * {@code tags: semver | none | <regular expression>}.
     *
     * @param repository repository glob
     * @param tags       tag spec
     */
    public record ImmutableTags(String repository, String tags) {
        public ImmutableTags {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(tags, "tags");
        }
    }

    public AuthConfig {
        service = headerSafe(service, "service");
        issuer = headerSafe(issuer, "issuer");
        Objects.requireNonNull(realm, "realm");
        realm.ifPresent(AuthConfig::checkRealm);
        if (enabled && realm.isEmpty()) {
            throw new IllegalArgumentException("auth.realm (the absolute URL of the token endpoint) is required when auth is enabled");
        }
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        if (tokenLifetime.compareTo(Duration.ofMinutes(1)) < 0 || tokenLifetime.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("auth.tokenLifetime must be between 1m and 24h (a push must fit in one token), got " + tokenLifetime);
        }
        Objects.requireNonNull(signingKeyFile, "signingKeyFile");
        Objects.requireNonNull(usersFile, "usersFile");
        Objects.requireNonNull(tokensFile, "tokensFile");
        if (bcryptCost < 4 || bcryptCost > 17) {
            throw new IllegalArgumentException("auth.bcryptCost must be between 4 and 17, got " + bcryptCost);
        }
        groups = copy(groups);
        admins = List.copyOf(admins);
        permissions = List.copyOf(permissions);
        immutableTags = List.copyOf(immutableTags);
        Objects.requireNonNull(auditLog, "auditLog");
        Objects.requireNonNull(throttle, "throttle");
    }

    public static Builder builder(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    /** Same settings with {@code enabled} changed. */
    public AuthConfig withEnabled(boolean on) {
        return new AuthConfig(on, service, issuer, realm, tokenLifetime, signingKeyFile, generateSigningKey, usersFile,
                tokensFile, bcryptCost, groups, admins, permissions, immutableTags, auditLog, throttle);
    }

    private static String headerSafe(String value, String what) {
        if (value == null || value.isEmpty() || value.length() > 200
                || value.chars().anyMatch(c -> c == '"' || c == ',' || c == '\\' || c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("auth." + what + " must be 1-200 printable characters without quotes, commas "
                    + "or backslashes (it goes into WWW-Authenticate, which akua splits on commas)");
        }
        return value;
    }

    static void checkRealm(URI realm) {
        String s = realm.toString();
        if (!realm.isAbsolute() || !("http".equals(realm.getScheme()) || "https".equals(realm.getScheme()))
                || realm.getHost() == null) {
            throw new IllegalArgumentException("auth.realm must be an absolute http(s) URL, got " + s);
        }
        headerSafe(s, "realm");
    }

    private static <V> Map<String, List<V>> copy(Map<String, List<V>> in) {
        Map<String, List<V>> out = new LinkedHashMap<>();
        Objects.requireNonNull(in, "map").forEach((k, v) -> out.put(Objects.requireNonNull(k), List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Defaults for a data directory, each overridable. */
    public static final class Builder {
        private boolean enabled;
        private String service = "akua-registry";
        private String issuer = "akua-registry";
        private URI realm;
        private Duration tokenLifetime = Duration.ofHours(1);
        private Path signingKeyFile;
        private boolean generateSigningKey = true;
        private Path usersFile;
        private Path tokensFile;
        private int bcryptCost = 10;
        private final Map<String, List<String>> groups = new LinkedHashMap<>();
        private final List<String> admins = new ArrayList<>();
        private final List<Permission> permissions = new ArrayList<>();
        private List<ImmutableTags> immutableTags = new ArrayList<>(List.of(new ImmutableTags("**", "semver")));
        private Optional<Path> auditLog;
        private LoginThrottle.Limits throttle = LoginThrottle.Limits.defaults();

        private Builder(Path dataDirectory) {
            Path auth = dataDirectory.resolve("auth");
            this.signingKeyFile = auth.resolve("token-signing-key.pem");
            this.usersFile = auth.resolve("htpasswd");
            this.tokensFile = auth.resolve("tokens.json");
            this.auditLog = Optional.of(auth.resolve("audit.jsonl"));
        }

        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        public Builder service(String s) {
            this.service = s;
            return this;
        }

        public Builder issuer(String s) {
            this.issuer = s;
            return this;
        }

        public Builder realm(URI tokenEndpoint) {
            this.realm = tokenEndpoint;
            return this;
        }

        public Builder tokenLifetime(Duration d) {
            this.tokenLifetime = d;
            return this;
        }

        /** A configured key: it must exist, it is never generated. */
        public Builder signingKeyFile(Path pem) {
            this.signingKeyFile = pem;
            this.generateSigningKey = false;
            return this;
        }

        public Builder usersFile(Path p) {
            this.usersFile = p;
            return this;
        }

        public Builder tokensFile(Path p) {
            this.tokensFile = p;
            return this;
        }

        public Builder bcryptCost(int cost) {
            this.bcryptCost = cost;
            return this;
        }

        public Builder group(String name, List<String> members) {
            this.groups.put(name, List.copyOf(members));
            return this;
        }

        public Builder admin(String subject) {
            this.admins.add(subject);
            return this;
        }

        public Builder permission(String repository, Map<String, List<String>> grants) {
            this.permissions.add(new Permission(repository, grants));
            return this;
        }

        /** Replaces the immutability rules (the default is semver tags everywhere). */
        public Builder immutableTags(List<ImmutableTags> rules) {
            this.immutableTags = new ArrayList<>(rules);
            return this;
        }

        /** Empty switches auditing off. */
        public Builder auditLog(Optional<Path> p) {
            this.auditLog = p;
            return this;
        }

        public Builder throttle(LoginThrottle.Limits limits) {
            this.throttle = limits;
            return this;
        }

        public AuthConfig build() {
            return new AuthConfig(enabled, service, issuer, Optional.ofNullable(realm), tokenLifetime, signingKeyFile,
                    generateSigningKey, usersFile, tokensFile, bcryptCost, groups, admins, permissions, immutableTags,
                    auditLog, throttle);
        }
    }
}
