package dev.akua.registry.auth.permission;

import dev.akua.registry.auth.Principal;

import java.util.Objects;

/**
 * Whom a grant names, as written in configuration: {@code anonymous} (everyone, signed in or
 * not: what anonymous may do, everybody may do), {@code authenticated} (any user or robot),
 * {@code user:<name>}, {@code group:<name>} or {@code robot:<name>}.
 *
 * @param kind the kind of subject
 * @param name the user, group or robot name; empty for {@code anonymous} and {@code authenticated}
 */
public record Subject(Kind kind, String name) {
    public enum Kind { ANONYMOUS, AUTHENTICATED, USER, GROUP, ROBOT }

    public Subject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        boolean named = kind == Kind.USER || kind == Kind.GROUP || kind == Kind.ROBOT;
        if (named == name.isEmpty() || name.length() > 255 || name.contains(":")) {
            throw new IllegalArgumentException("invalid subject name '" + name + "' for " + kind);
        }
    }

    public static Subject parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t) {
            case "anonymous":
                return new Subject(Kind.ANONYMOUS, "");
            case "authenticated":
                return new Subject(Kind.AUTHENTICATED, "");
            default:
                break;
        }
        int colon = t.indexOf(':');
        if (colon > 0 && colon < t.length() - 1) {
            String name = t.substring(colon + 1);
            switch (t.substring(0, colon)) {
                case "user":
                    return new Subject(Kind.USER, name);
                case "group":
                    return new Subject(Kind.GROUP, name);
                case "robot":
                    return new Subject(Kind.ROBOT, name);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("invalid subject '" + t
                + "': expected anonymous, authenticated, user:<name>, group:<name> or robot:<name>");
    }

    /** True if {@code principal} is this subject, ignoring groups (see {@link PermissionPolicy}). */
    boolean names(Principal principal) {
        return switch (kind) {
            case ANONYMOUS -> true;
            case AUTHENTICATED -> !principal.isAnonymous();
            case USER -> principal.kind() == Principal.Kind.USER && principal.name().equals(name);
            case ROBOT -> principal.kind() == Principal.Kind.ROBOT && principal.name().equals(name);
            case GROUP -> false;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ANONYMOUS -> "anonymous";
            case AUTHENTICATED -> "authenticated";
            case USER -> "user:" + name;
            case GROUP -> "group:" + name;
            case ROBOT -> "robot:" + name;
        };
    }
}
