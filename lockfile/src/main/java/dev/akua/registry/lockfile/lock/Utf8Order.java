package dev.akua.registry.lockfile.lock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Byte-wise comparison of the UTF-8 encodings, which is how Rust orders {@code String}s (akua sorts
 * lock entries with it, wire contract §4.2). Java's {@link String#compareTo} compares UTF-16 code
 * units and disagrees for characters beyond U+FFFF.
 */
public final class Utf8Order implements Comparator<String> {
    public static final Comparator<String> INSTANCE = new Utf8Order();

    private Utf8Order() {
    }

    @Override
    public int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
