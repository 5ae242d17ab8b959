package dev.akua.registry.storage.s3;

import dev.akua.registry.storage.driver.StoragePath;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Object keys of driver paths. A path {@code /a/b} is the key {@code <prefix>a/b}. An object
 * written by appending is a run of <em>segments</em>, one per commit, under
 * {@code <key>!seg/<10-digit index>-<random>}:
 *
 * <pre>
 * repositories/r/_uploads/u/data                         a whole object (put, moved or copied)
 * repositories/r/_uploads/u/data!seg/0000000000-1f2e3d4c  an appended object: its first commit
 * repositories/r/_uploads/u/data!seg/0000000001-9a8b7c6d  … its second commit
 * </pre>
 *
 * {@code !} is outside the path grammar, so no path maps to a segment key, and it sorts before
 * every character of the grammar, so a listing with the object's key as prefix returns the whole
 * object, then its segments, before any sibling. When both forms exist (a put over an appended
 * object), the whole object wins. The random suffix keeps two processes that append the same
 * segment index at once from overwriting each other: both segments stay visible, the size no
 * longer matches what either expected, and the upload's digest check refuses the result.
 */
final class Keys {
    static final String SEGMENTS = "!seg/";
    private static final HexFormat HEX = HexFormat.of();
    private final String prefix;
    private final SecureRandom random = new SecureRandom();

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** The key of an object path. */
    String key(String path) {
        StoragePath.check(path);
        return path.equals("/") ? prefix : prefix + path.substring(1);
    }

    /** The key prefix of everything below a directory path. */
    String dirPrefix(String path) {
        StoragePath.check(path);
        return path.equals("/") ? prefix : prefix + path.substring(1) + "/";
    }

    /** The path of a key, or null for keys outside the prefix or the path grammar (foreign objects). */
    String path(String key) {
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            return null;
        }
        String p = "/" + key.substring(prefix.length());
        try {
            return StoragePath.check(p);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String segmentPrefix(String key) {
        return key + SEGMENTS;
    }

    String newSegmentKey(String key, long index) {
        byte[] r = new byte[4];
        random.nextBytes(r);
        return segmentPrefix(key) + String.format("%010d", index) + "-" + HEX.formatHex(r);
    }

    /** The index of a segment key of {@code key}, or -1 if it is not one. */
    static long segmentIndex(String key, String segmentKey) {
        String prefix = segmentPrefix(key);
        if (!segmentKey.startsWith(prefix) || segmentKey.length() < prefix.length() + 11) {
            return -1;
        }
        try {
            return Long.parseLong(segmentKey.substring(prefix.length(), prefix.length() + 10));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The object key a segment key belongs to, or the key itself if it is not a segment. */
    static String owner(String key) {
        int i = key.indexOf(SEGMENTS);
        return i < 0 ? key : key.substring(0, i);
    }
}
