package dev.akua.registry.auth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.akua.registry.auth.Action;
import dev.akua.registry.auth.ResourceType;
import dev.akua.registry.auth.Scope;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Issues and checks the registry's bearer tokens: JWTs signed with {@link TokenSigningKey},
 * carrying {@code iss}, {@code sub} (a {@link dev.akua.registry.auth.Principal#id()}),
 * {@code aud} (the service name clients pass as {@code service=}), {@code iat}, {@code nbf},
 * {@code exp}, {@code jti}, the Docker {@code access} claim
 * ({@code [{"type","name","actions":[…]}]}, Docker "Token Authentication Implementation") and,
 * when the token was obtained with a robot or personal token, {@code akua_tid} naming it so that
 * a revocation also ends the JWTs it produced.
 *
 * <p>Checking is nimbus-jose-jwt's processor: the header must be {@code typ: JWT} with exactly
 * this key's algorithm (so {@code alg: none}, HMAC and other keys are refused), the signature
 * must verify, and {@code iss}/{@code aud} must match and {@code exp}/{@code nbf} hold against
 * the injected clock with {@link #CLOCK_SKEW} of tolerance.
 */
public final class TokenService {
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    static final String ACCESS_CLAIM = "access";
    static final String TOKEN_ID_CLAIM = "akua_tid";
    /** More entries than a token request may ask for (see the facade's cap) is not ours. */
    private static final int MAX_ACCESS_ENTRIES = 64;

    /**
     * A freshly signed token.
     *
     * @param token     the compact JWT
     * @param issuedAt  its {@code iat}
     * @param expiresIn lifetime from {@code issuedAt}
     * @param access    the scopes it grants
     */
    public record Issued(String token, Instant issuedAt, Duration expiresIn, List<Scope> access) {
        @Override
        public String toString() {
            return "Issued[" + access + "]";
        }
    }

    /** The outcome of checking a presented JWT. */
    public sealed interface Verification {
        /**
         * A good token.
         *
         * @param subject   the {@code sub} claim
         * @param tokenId   the {@code akua_tid} claim, if present
         * @param access    the granted scopes
         * @param expiresAt the {@code exp} claim
         */
        record Valid(String subject, Optional<String> tokenId, List<Scope> access, Instant expiresAt) implements Verification {
        }

        /**
         * A refused token.
         *
         * @param reason  why, fit for the client (it reveals nothing the client does not hold)
         * @param expired true if the only fault is the time window, the normal end of a token's life
         */
        record Invalid(String reason, boolean expired) implements Verification {
        }
    }

    private final TokenSigningKey key;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /**
     * @param key      signing key
     * @param issuer   the {@code iss} written and required
     * @param audience the {@code aud} written and required (the registry's service name)
     * @param lifetime how long a token is valid; long enough for a whole multi-blob push, since
     *                 akua fetches one token per push step and never refreshes it (wire contract §1.5)
     */
    public TokenService(TokenSigningKey key, String issuer, String audience, Duration lifetime, Clock clock, SecureRandom random) {
        this.key = Objects.requireNonNull(key, "key");
        this.issuer = requireText(issuer, "issuer");
        this.audience = requireText(audience, "audience");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("token lifetime must be between 1 second and 1 day, got " + lifetime);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");

        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(key.algorithm(),
                new ImmutableJWKSet<>(new JWKSet(key.publicJwk()))));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "iat", "nbf", "exp", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(TokenService.this.clock.instant());
            }
        };
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        this.processor = p;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String audience() {
        return audience;
    }

    /** Signs a token for {@code subject} granting {@code access}. */
    public Issued issue(String subject, Optional<String> tokenId, List<Scope> access) {
        if (access.size() > MAX_ACCESS_ENTRIES) {
            throw new IllegalArgumentException("too many scopes in one token");
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        List<Map<String, Object>> accessClaim = new ArrayList<>();
        for (Scope s : access) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", s.type().wireName());
            entry.put("name", s.name());
            entry.put("actions", s.actions().stream().map(Action::wireName).toList());
            accessClaim.add(entry);
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(HexFormat.of().formatHex(jti))
                .claim(ACCESS_CLAIM, accessClaim);
        tokenId.ifPresent(id -> claims.claim(TOKEN_ID_CLAIM, id));
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(key.algorithm()).type(JOSEObjectType.JWT).keyID(key.keyId()).build(),
                claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), now, lifetime, List.copyOf(access));
    }

    /** Checks a presented compact JWT. Never throws for bad input. */
    public Verification verify(String compact) {
        if (compact == null || compact.length() > 16 * 1024) {
            return new Verification.Invalid("malformed token", false);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(compact, null);
        } catch (ExpiredJWTException e) {
            return new Verification.Invalid("token expired", true);
        } catch (BadJOSEException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            boolean early = msg.contains("before use time");
            return new Verification.Invalid(early ? "token not yet valid" : "token rejected: " + msg, early);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return new Verification.Invalid("malformed token", false);
        }
        try {
            Object tid = claims.getClaim(TOKEN_ID_CLAIM);
            if (tid != null && !(tid instanceof String)) {
                return new Verification.Invalid("malformed token", false);
            }
            return new Verification.Valid(claims.getSubject(), Optional.ofNullable((String) tid),
                    parseAccess(claims.getClaim(ACCESS_CLAIM)), claims.getExpirationTime().toInstant());
        } catch (RuntimeException e) {
            return new Verification.Invalid("malformed access claim", false);
        }
    }

    private static List<Scope> parseAccess(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> entries) || entries.size() > MAX_ACCESS_ENTRIES) {
            throw new IllegalArgumentException("access claim is not a list");
        }
        List<Scope> out = new ArrayList<>();
        for (Object o : entries) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                    || !(m.get("name") instanceof String name) || !(m.get("actions") instanceof List<?> actions)) {
                throw new IllegalArgumentException("bad access entry");
            }
            ResourceType rt = switch (type) {
                case "repository" -> ResourceType.REPOSITORY;
                case "registry" -> ResourceType.REGISTRY;
                default -> null;
            };
            EnumSet<Action> acts = EnumSet.noneOf(Action.class);
            for (Object a : actions) {
                if (a instanceof String s) {
                    Action.fromWire(s).ifPresent(acts::add);
                }
            }
            if (rt != null && !acts.isEmpty()) {
                out.add(new Scope(rt, name, acts));
            }
        }
        return List.copyOf(out);
    }

    private static String requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s;
    }
}
