package dev.akua.registry.lockfile.lock;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code [[package]]} entry of akua.lock, fields as in akua 0.8.5 ({@code lock_file.rs}, wire
 * contract §4.2). Optional fields are null when absent. {@code extra} keeps fields this version
 * does not know, in file order, so a rewrite does not lose what a newer writer added.
 *
 * @param name                 dependency name
 * @param version              resolved version (tag, rev, chart version, {@code local})
 * @param source               {@code oci://…}, {@code git+<url>@<ref>}, {@code path+file://…} or {@code helm+<repo>#<chart>}
 * @param digest               {@code sha256:<hex>} or {@code git:<sha1>}
 * @param signature            e.g. {@code cosign:key:<id>}, or null
 * @param dependencies         transitive edges {@code name@version}; empty when none
 * @param attestation          attestation reference, or null
 * @param replacedPath         the {@code replaced.path} of a {@code replace} override, or null
 * @param yanked               the yanked flag, or null
 * @param kyvernoSourceDigest  Kyverno audit digest, or null
 * @param converterVersion     Kyverno converter version, or null
 * @param extra                unknown fields, kept verbatim (values as parsed: String, Long, Double, Boolean, java.time, List, Map)
 */
public record LockedPackage(String name,
                            String version,
                            String source,
                            String digest,
                            String signature,
                            List<String> dependencies,
                            String attestation,
                            String replacedPath,
                            Boolean yanked,
                            String kyvernoSourceDigest,
                            String converterVersion,
                            Map<String, Object> extra) {

    public LockedPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(digest, "digest");
        dependencies = List.copyOf(dependencies == null ? List.of() : dependencies);
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A freshly resolved entry with only the fields a resolver computes. */
    public static LockedPackage of(String name, String version, String source, String digest) {
        return new LockedPackage(name, version, source, digest, null, List.of(), null, null, null, null, null, Map.of());
    }

    public LockedPackage withSignature(String value) {
        return new LockedPackage(name, version, source, digest, value, dependencies, attestation, replacedPath, yanked,
                kyvernoSourceDigest, converterVersion, extra);
    }

    public LockedPackage withDependencies(List<String> value) {
        return new LockedPackage(name, version, source, digest, signature, value, attestation, replacedPath, yanked,
                kyvernoSourceDigest, converterVersion, extra);
    }

    public LockedPackage withReplacedPath(String value) {
        return new LockedPackage(name, version, source, digest, signature, dependencies, attestation, value, yanked,
                kyvernoSourceDigest, converterVersion, extra);
    }

    /**
     * This entry carrying over what akua's {@code merge_into_lock} preserves from a prior entry of the
     * same name: attestation, yanked, the Kyverno fields, the signature when none was computed now,
     * and (ours) unknown fields.
     */
    public LockedPackage preservingFrom(LockedPackage prior) {
        if (prior == null) {
            return this;
        }
        return new LockedPackage(name, version, source, digest,
                signature != null ? signature : prior.signature,
                dependencies, prior.attestation, replacedPath, prior.yanked, prior.kyvernoSourceDigest,
                prior.converterVersion, prior.extra);
    }

    /** {@code name@version}, the form used in {@code dependencies} edges. */
    public String coordinate() {
        return name + "@" + version;
    }
}
