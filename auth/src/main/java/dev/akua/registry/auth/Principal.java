package dev.akua.registry.auth;

import java.util.Objects;

/**
 * Who is acting: an htpasswd user, a robot account, or nobody. A personal access token acts as
 * its {@link Kind#USER} owner (possibly with fewer rights, see {@link Caller}).
 *
 * <p>{@link #id()} ({@code user:alice}, {@code robot:ci}, {@code anonymous}) is the form used in
 * the audit log, in the JWT {@code sub} claim and in permission grants.
 *
 * @param kind the principal kind
 * @param name the user or robot name; empty for {@link Kind#ANONYMOUS}
 */
public record Principal(Kind kind, String name) {
    public enum Kind {
        ANONYMOUS("anonymous"),
        USER("user"),
        ROBOT("robot");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "");

    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if ((kind == Kind.ANONYMOUS) != name.isEmpty()) {
            throw new IllegalArgumentException("anonymous has no name; users and robots must have one");
        }
        if (name.length() > 255 || name.chars().anyMatch(c -> c == ':' || Character.isISOControl(c))) {
            throw new IllegalArgumentException("invalid principal name");
        }
    }

    public static Principal anonymous() {
        return ANONYMOUS;
    }

    public static Principal user(String name) {
        return new Principal(Kind.USER, name);
    }

    public static Principal robot(String name) {
        return new Principal(Kind.ROBOT, name);
    }

    /** Parses {@link #id()} back: {@code user:<name>}, {@code robot:<name>} or {@code anonymous}. */
    public static Principal parse(String id) {
        if (id == null) {
            throw new IllegalArgumentException("missing principal");
        }
        if (id.equals(Kind.ANONYMOUS.prefix)) {
            return ANONYMOUS;
        }
        int colon = id.indexOf(':');
        if (colon > 0) {
            String kind = id.substring(0, colon);
            String name = id.substring(colon + 1);
            if (kind.equals(Kind.USER.prefix) && !name.isEmpty()) {
                return user(name);
            }
            if (kind.equals(Kind.ROBOT.prefix) && !name.isEmpty()) {
                return robot(name);
            }
        }
        throw new IllegalArgumentException("invalid principal '" + id + "': expected user:<name>, robot:<name> or anonymous");
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public String id() {
        return kind == Kind.ANONYMOUS ? kind.prefix : kind.prefix + ":" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
