package dev.akua.registry.lockfile.lock;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed akua.lock: {@code version = 1} and the {@code [[package]]} entries, plus unknown top-level
 * fields kept verbatim. Parse with {@link LockFileParser}, write with {@link LockFileWriter}.
 *
 * @param version  the format version; akua 0.8.5 knows only 1
 * @param packages entries in file order
 * @param extra    unknown top-level fields
 */
public record LockFile(int version, List<LockedPackage> packages, Map<String, Object> extra) {
    /** akua's {@code CURRENT_VERSION} ({@code lock_file.rs}). */
    public static final int CURRENT_VERSION = 1;

    /** akua's canonical order: (name, version), byte-wise (§4.2). */
    public static final Comparator<LockedPackage> ORDER = Comparator
            .comparing(LockedPackage::name, Utf8Order.INSTANCE)
            .thenComparing(LockedPackage::version, Utf8Order.INSTANCE);

    public LockFile {
        packages = List.copyOf(Objects.requireNonNull(packages, "packages"));
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static LockFile empty() {
        return new LockFile(CURRENT_VERSION, List.of(), Map.of());
    }

    public static LockFile of(List<LockedPackage> packages) {
        return new LockFile(CURRENT_VERSION, packages, Map.of());
    }

    /** The first entry with this name (akua's {@code find}). */
    public Optional<LockedPackage> find(String name) {
        return packages.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The same lock with entries in canonical order. */
    public LockFile sorted() {
        return new LockFile(version, packages.stream().sorted(ORDER).toList(), extra);
    }
}
