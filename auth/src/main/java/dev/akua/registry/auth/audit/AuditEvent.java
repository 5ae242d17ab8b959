package dev.akua.registry.auth.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One audited happening. The log adds the time. Fields that do not apply are null and left out
 * of the line. Every text field is cut to {@link #MAX_FIELD} characters: several come from
 * clients (attempted user names, tags).
 *
 * @param kind           what happened ({@link Kind#FEATURE} for events other registry features report)
 * @param name           the {@code event} value written: the kind's wire name, or a feature's own verb
 *                       ({@code sign}, {@code publish}, {@code gc_delete}), which may not reuse a built-in name
 * @param principal      who ({@code user:alice}, {@code robot:ci}, {@code anonymous}; for a failed login the name tried)
 * @param client         the client address
 * @param repository     the repository, if any
 * @param reference      the tag or digest the request named, if any
 * @param digest         the content digest concerned, if any
 * @param previousDigest for a tag move, the digest the tag pointed to before
 * @param detail         free text: granted scopes, failure reason, denied action
 * @param attributes     extra named values a feature reports (key ids, counts); at most
 *                       {@link #MAX_ATTRIBUTES}, keys {@code [a-z][A-Za-z0-9_.-]{0,31}}, values capped like the rest
 */
public record AuditEvent(Kind kind, String name, String principal, String client, String repository, String reference,
                         String digest, String previousDigest, String detail, Map<String, String> attributes) {
    public static final int MAX_FIELD = 512;
    public static final int MAX_ATTRIBUTES = 16;
    private static final Pattern FEATURE_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z][A-Za-z0-9_.-]{0,31}");

    public enum Kind {
        /** A blob upload completed or a manifest was stored. */
        PUSH("push"),
        /** An existing tag now points at other content. */
        TAG_MOVE("tag_move"),
        /** A tag, manifest or blob was deleted. */
        DELETE("delete"),
        /** The token endpoint issued a token. */
        TOKEN_ISSUE("token_issue"),
        /** Wrong password, unknown user, bad robot/personal token, forged JWT. */
        LOGIN_FAILED("login_failed"),
        /** An authenticated request was refused (403). */
        PERMISSION_DENIED("permission_denied"),
        /** Reported by another registry feature through the registry's audit trail; {@code name} says what. */
        FEATURE("feature");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wireName() {
            return wire;
        }
    }

    /** A built-in event: {@code name} is the kind's wire name, no attributes. */
    public AuditEvent(Kind kind, String principal, String client, String repository, String reference,
                      String digest, String previousDigest, String detail) {
        this(kind, Objects.requireNonNull(kind, "kind").wireName(), principal, client, repository, reference, digest,
                previousDigest, detail, Map.of());
    }

    public AuditEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind != Kind.FEATURE && !name.equals(kind.wireName())) {
            throw new IllegalArgumentException("a " + kind.wireName() + " event is named " + kind.wireName());
        }
        if (kind == Kind.FEATURE && (!FEATURE_NAME.matcher(name).matches() || isBuiltIn(name))) {
            // a feature must not be able to write a line that reads like a login failure or a push
            throw new IllegalArgumentException("invalid feature audit event name '" + cap(name) + "'");
        }
        Objects.requireNonNull(attributes, "attributes");
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("at most " + MAX_ATTRIBUTES + " audit attributes");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (k == null || !ATTRIBUTE_KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("invalid audit attribute name '" + cap(k) + "'");
            }
            copy.put(k, v == null ? "" : cap(v));
        });
        attributes = Collections.unmodifiableMap(copy);
        principal = cap(principal);
        client = cap(client);
        repository = cap(repository);
        reference = cap(reference);
        digest = cap(digest);
        previousDigest = cap(previousDigest);
        detail = cap(detail);
    }

    public static AuditEvent push(String principal, String client, String repository, String reference, String digest) {
        return new AuditEvent(Kind.PUSH, principal, client, repository, reference, digest, null, null);
    }

    public static AuditEvent tagMove(String principal, String client, String repository, String tag, String from, String to) {
        return new AuditEvent(Kind.TAG_MOVE, principal, client, repository, tag, to, from, null);
    }

    public static AuditEvent delete(String principal, String client, String repository, String reference, String digest) {
        return new AuditEvent(Kind.DELETE, principal, client, repository, reference, digest, null, null);
    }

    public static AuditEvent tokenIssue(String principal, String client, String grantedScopes) {
        return new AuditEvent(Kind.TOKEN_ISSUE, principal, client, null, null, null, null, grantedScopes);
    }

    public static AuditEvent loginFailed(String attempted, String client, String reason) {
        return new AuditEvent(Kind.LOGIN_FAILED, attempted, client, null, null, null, null, reason);
    }

    public static AuditEvent permissionDenied(String principal, String client, String repository, String reference, String reason) {
        return new AuditEvent(Kind.PERMISSION_DENIED, principal, client, repository, reference, null, null, reason);
    }

    /**
     * An event another registry feature reports (server-side signing, publishing, GC deletions).
     *
     * @param name       the feature's verb, {@code [a-z][a-z0-9_.-]{0,31}}, not one of the built-in event names
     * @param attributes extra named values (at most {@link #MAX_ATTRIBUTES})
     * @throws IllegalArgumentException for a bad name or attribute key
     */
    public static AuditEvent feature(String name, String principal, String client, String repository, String digest,
                                     Map<String, String> attributes) {
        return new AuditEvent(Kind.FEATURE, name, principal, client, repository, null, digest, null, null,
                attributes == null ? Map.of() : attributes);
    }

    private static boolean isBuiltIn(String name) {
        for (Kind k : Kind.values()) {
            if (k.wireName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String cap(String s) {
        return s == null || s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD - 3) + "...";
    }
}
