package dev.akua.registry.helm;

import java.util.Optional;
import java.util.function.BiPredicate;

import dev.akua.registry.oci.Tag;

/**
 * How chart versions are named outside index.yaml. OCI tags cannot hold {@code +}, so a SemVer
 * build suffix is written with {@code _} instead, the convention {@code helm push} and {@code helm
 * pull} use (Helm's registry client, "OCI tags do not support +"). Archive file names are
 * {@code <chart>-<version>.tgz}, as {@code helm package} names them; since chart names contain
 * dashes, a file name is split by asking which (chart, version) pair actually exists.
 */
final class ChartNames {
    private ChartNames() {
    }

    static String tagOf(String version) {
        return version.replace('+', '_');
    }

    static boolean isTaggable(String version) {
        return Tag.isValid(tagOf(version));
    }

    static String fileName(String chart, String version) {
        return chart + "-" + version + ".tgz";
    }

    /** A chart and version named by a file name. */
    record ChartVersionRef(String chart, String version) {
    }

    /** Splits {@code <chart>-<version>.tgz} at the first dash where {@code exists(chart, version)} holds. */
    static Optional<ChartVersionRef> parseFileName(String file, BiPredicate<String, String> exists) {
        if (file == null || !file.endsWith(".tgz") || file.length() > 512) {
            return Optional.empty();
        }
        String stem = file.substring(0, file.length() - ".tgz".length());
        for (int i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
            String chart = stem.substring(0, i);
            String version = stem.substring(i + 1);
            if (!version.isEmpty() && exists.test(chart, version)) {
                return Optional.of(new ChartVersionRef(chart, version));
            }
        }
        return Optional.empty();
    }
}
