package dev.akua.registry.storage.driver;

import java.util.regex.Pattern;

/**
 * The path grammar every driver accepts: {@code /} followed by components of
 * {@code [A-Za-z0-9_][A-Za-z0-9._-]*} joined by {@code /}. Repository names, tags, digests and the
 * layout's own {@code _names} all fit; {@code .}, {@code ..}, empty components and hidden names do
 * not, so no path can escape a driver's root. Checked by every driver on every call.
 */
public final class StoragePath {
    private static final Pattern GRAMMAR = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9._-]*)+|/");
    private static final int MAX_LENGTH = 1024;

    private StoragePath() {
    }

    public static String check(String path) {
        if (path == null || path.length() > MAX_LENGTH || !GRAMMAR.matcher(path).matches()) {
            throw new IllegalArgumentException("invalid storage path: " + path);
        }
        return path;
    }

    /** The last component of a path. */
    public static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static String join(String directory, String child) {
        return directory.equals("/") ? "/" + child : directory + "/" + child;
    }
}
