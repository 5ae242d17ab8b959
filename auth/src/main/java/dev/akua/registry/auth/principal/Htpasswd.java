package dev.akua.registry.auth.principal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An Apache htpasswd file: one {@code user:hash} per line, blank lines and {@code #} comments
 * allowed. Only bcrypt entries ({@code htpasswd -B}) can log in; entries with other hash kinds
 * (MD5 {@code $apr1$}, {@code {SHA}}, crypt) are kept in the file but never match, and are listed
 * in {@link #problems()}. As in Apache, the first entry for a user counts.
 *
 * <p>Edits keep every other line as it was, so a file maintained with {@code htpasswd} survives a
 * round trip through the CLI.
 */
final class Htpasswd {
    static final int MAX_USER_LENGTH = 255;

    private final List<String> lines;
    private final Map<String, String> hashes;
    private final List<String> problems;

    private Htpasswd(List<String> lines) {
        this.lines = List.copyOf(lines);
        Map<String, String> h = new LinkedHashMap<>();
        List<String> p = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                p.add("line " + (i + 1) + ": not user:hash");
                continue;
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1).strip();
            if (user.length() > MAX_USER_LENGTH || user.chars().anyMatch(Character::isISOControl)) {
                p.add("line " + (i + 1) + ": invalid user name");
                continue;
            }
            if (h.containsKey(user)) {
                p.add("line " + (i + 1) + ": duplicate entry for " + user + " (the first one counts)");
                continue;
            }
            if (!Passwords.isUsableBcrypt(hash)) {
                p.add("line " + (i + 1) + ": user " + user + " has no usable bcrypt hash (create it with htpasswd -B); it cannot log in");
            }
            h.put(user, hash);
        }
        this.hashes = h;
        this.problems = List.copyOf(p);
    }

    static Htpasswd parse(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        return new Htpasswd(lines);
    }

    Optional<String> hashOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    boolean contains(String user) {
        return hashes.containsKey(user);
    }

    List<String> users() {
        return List.copyOf(hashes.keySet());
    }

    /** The most common bcrypt cost among the entries, if there are any. */
    java.util.OptionalInt typicalCost() {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        for (String hash : hashes.values()) {
            Passwords.cost(hash).ifPresent(c -> counts.merge(c, 1, Integer::sum));
        }
        return counts.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(e -> java.util.OptionalInt.of(e.getKey()))
                .orElse(java.util.OptionalInt.empty());
    }

    List<String> problems() {
        return problems;
    }

    /** Replaces the user's first entry in place, or appends one. */
    Htpasswd withUser(String user, String hash) {
        List<String> out = new ArrayList<>(lines);
        for (int i = 0; i < out.size(); i++) {
            if (isEntryFor(out.get(i), user)) {
                out.set(i, user + ":" + hash);
                return new Htpasswd(out);
            }
        }
        out.add(user + ":" + hash);
        return new Htpasswd(out);
    }

    /** Removes every entry for the user. */
    Htpasswd without(String user) {
        List<String> out = new ArrayList<>(lines);
        out.removeIf(line -> isEntryFor(line, user));
        return new Htpasswd(out);
    }

    String format() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static boolean isEntryFor(String line, String user) {
        return line.startsWith(user + ":");
    }
}
