package dev.akua.registry.auth.audit;

import java.util.Objects;

/**
 * One audited happening. The log adds the time. Fields that do not apply are null and left out
 * of the line. Every text field is cut to {@link #MAX_FIELD} characters: several come from
 * clients (attempted user names, tags).
 *
 * @param kind           what happened
 * @param principal      who ({@code user:alice}, {@code robot:ci}, {@code anonymous}; for a failed login the name tried)
 * @param client         the client address
 * @param repository     the repository, if any
 * @param reference      the tag or digest the request named, if any
 * @param digest         the content digest concerned, if any
 * @param previousDigest for a tag move, the digest the tag pointed to before
 * @param detail         free text: granted scopes, failure reason, denied action
 */
public record AuditEvent(Kind kind, String principal, String client, String repository, String reference,
                         String digest, String previousDigest, String detail) {
    public static final int MAX_FIELD = 512;

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
        PERMISSION_DENIED("permission_denied");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wireName() {
            return wire;
        }
    }

    public AuditEvent {
        Objects.requireNonNull(kind, "kind");
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

    private static String cap(String s) {
        return s == null || s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD - 3) + "...";
    }
}
