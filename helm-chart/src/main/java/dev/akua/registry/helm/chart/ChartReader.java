package dev.akua.registry.helm.chart;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.helm.chart.ArchiveStreams.Counting;
import dev.akua.registry.helm.chart.ArchiveStreams.LimitExceeded;
import dev.akua.registry.helm.chart.ArchiveStreams.SourceFailure;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a chart archive ({@code .tgz}) in one streaming pass and refuses anything Helm's archive
 * loader ({@code pkg/chart/loader/archive.go}) would refuse, plus what a store of untrusted content
 * must refuse on top:
 * <ul>
 *   <li>gzip, then tar; a broken stream is refused;</li>
 *   <li>exactly one top directory, holding {@code Chart.yaml} (Helm: "chart yaml not in base directory");</li>
 *   <li>no absolute names, no {@code ..} components, no backslashes, no Windows drive paths
 *       (Helm: "chart illegally contains absolute paths" / "references parent directory" /
 *       "contains illegally named files"), no duplicate names;</li>
 *   <li>regular files and directories only: symlinks, hard links, devices and FIFOs are refused;</li>
 *   <li>Helm's size limits: 5 MiB per file ({@code MaxDecompressedFileSize}) and 100 MiB expanded
 *       ({@code MaxDecompressedChartSize}), plus an entry count; skipped bytes count as read;</li>
 *   <li>a sane {@code Chart.yaml} ({@link ChartMetadata#parse}).</li>
 * </ul>
 * The sha256 covers every byte of the stream, trailing bytes after the gzip member included: it is
 * the digest of exactly what was read, which is what index.yaml and an OCI layer descriptor name.
 */
public final class ChartReader {
    private static final Pattern DRIVE_PATH = Pattern.compile("^[A-Za-z]:/.*");
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /**
     * Bounds of one archive.
     *
     * @param maxExpandedBytes  total size of all files once expanded
     * @param maxFileBytes      size of one expanded file
     * @param maxEntries        number of tar entries
     * @param maxChartYamlBytes size of Chart.yaml
     */
    public record Limits(long maxExpandedBytes, long maxFileBytes, int maxEntries, int maxChartYamlBytes) {
        public Limits {
            if (maxExpandedBytes <= 0 || maxFileBytes <= 0 || maxEntries <= 0 || maxChartYamlBytes <= 0) {
                throw new IllegalArgumentException("chart limits must be positive");
            }
        }

        /** Helm 3's loader limits (100 MiB expanded, 5 MiB per file), 20,000 entries, 1 MiB Chart.yaml. */
        public static Limits helm() {
            return new Limits(100L << 20, 5L << 20, 20_000, 1 << 20);
        }
    }

    /**
     * A valid chart archive.
     *
     * @param sha256Hex         hex sha256 of the archive bytes
     * @param size              archive size in bytes
     * @param topDirectory      the one top-level directory
     * @param metadata          the validated Chart.yaml
     * @param chartYamlModified the modification time of the Chart.yaml entry (EPOCH when absent); a
     *                          function of the archive bytes, so usable where output must be deterministic
     */
    public record Chart(String sha256Hex, long size, String topDirectory, ChartMetadata metadata, Instant chartYamlModified) {
        public Chart {
            Objects.requireNonNull(sha256Hex, "sha256Hex");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(chartYamlModified, "chartYamlModified");
        }
    }

    private final Limits limits;
    private final BoundedYaml chartYaml;

    public ChartReader(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.chartYaml = new BoundedYaml(limits.maxChartYamlBytes(), 32);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Reads, hashes and validates the whole stream (the caller bounds its compressed size).
     *
     * @throws InvalidChartException for a refused archive
     * @throws IOException           when reading the stream itself fails (the caller's stream's own exceptions pass through)
     */
    public Chart read(InputStream archive) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Counting raw = new Counting(ArchiveStreams.source(archive), Long.MAX_VALUE, "", sha256);
        String top = null;
        ChartMetadata metadata = null;
        Instant modified = Instant.EPOCH;
        try {
            // The JDK's gzip reader, not commons-compress: Helm writes a free-form FEXTRA field that
            // commons-compress 1.28 rejects as malformed subfields; the JDK skips it as RFC 1952 allows.
            GZIPInputStream gunzip;
            try {
                gunzip = new GZIPInputStream(ArchiveStreams.keepOpen(raw), 8192);
            } catch (ZipException | EOFException e) {
                throw new InvalidChartException("chart archive is not gzip-compressed", e);
            }
            Counting expanded = new Counting(gunzip, limits.maxExpandedBytes(),
                    "chart archive expands beyond " + limits.maxExpandedBytes() + " bytes (Helm's MaxDecompressedChartSize)", null);
            TarArchiveInputStream tar = new TarArchiveInputStream(expanded);
            Set<String> names = new HashSet<>();
            TarArchiveEntry entry;
            int entries = 0;
            while ((entry = nextEntry(tar)) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new InvalidChartException("chart archive has more than " + limits.maxEntries() + " entries");
                }
                String name = entry.getName();
                checkType(entry, name);
                String normalized = checkName(name);
                int slash = normalized.indexOf('/');
                String first = slash < 0 ? normalized : normalized.substring(0, slash);
                String rest = slash < 0 ? "" : normalized.substring(slash + 1);
                if (top == null) {
                    top = first;
                } else if (!top.equals(first)) {
                    throw new InvalidChartException("chart archive has more than one top-level directory: `" + top
                            + "` and `" + printable(first) + "`");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                if (rest.isEmpty()) {
                    throw new InvalidChartException("chart archive has a file outside the chart directory: " + printable(name));
                }
                if (DRIVE_PATH.matcher(rest).matches()) {
                    throw new InvalidChartException("chart archive contains an illegally named file: " + printable(name));
                }
                if (!names.add(normalized)) {
                    throw new InvalidChartException("chart archive holds " + printable(name) + " twice");
                }
                if (entry.getSize() > limits.maxFileBytes()) {
                    throw fileTooLarge(name);
                }
                if (rest.equals("Chart.yaml")) {
                    metadata = chartYaml(tar, name);
                    modified = entry.getModTime() == null ? Instant.EPOCH : entry.getModTime().toInstant();
                }
                long size = 0;
                byte[] buffer = new byte[8192];
                int n;
                while ((n = tar.read(buffer)) > 0) {
                    size += n;
                    if (size > limits.maxFileBytes()) {
                        throw fileTooLarge(name);
                    }
                }
            }
            if (top == null) {
                throw new InvalidChartException("chart archive is empty");
            }
            if (metadata == null) {
                throw new InvalidChartException("chart archive has no " + top + "/Chart.yaml");
            }
            // Read to the end of the compressed stream so the gzip trailer (CRC, length) is checked.
            expanded.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (InvalidChartException e) {
            throw e;
        } catch (IOException e) {
            SourceFailure source = ArchiveStreams.find(e, SourceFailure.class);
            if (source != null) {
                throw source.original();
            }
            LimitExceeded limit = ArchiveStreams.find(e, LimitExceeded.class);
            if (limit != null) {
                throw new InvalidChartException(limit.getMessage(), e);
            }
            throw new InvalidChartException("broken chart archive: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidChartException("broken chart archive: " + e.getMessage(), e);
        }
        // Hash to the last byte: trailing data after the gzip member is part of what is pinned.
        try {
            raw.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (SourceFailure e) {
            throw e.original();
        }
        return new Chart(HexFormat.of().formatHex(sha256.digest()), raw.count(), top, metadata, modified);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new InvalidChartException("broken tar header: " + e.getMessage(), e);
        }
    }

    private static void checkType(TarArchiveEntry entry, String name) throws InvalidChartException {
        if (entry.isSymbolicLink()) {
            throw new InvalidChartException("chart archive contains a symbolic link: " + printable(name));
        }
        if (entry.isLink()) {
            throw new InvalidChartException("chart archive contains a hard link: " + printable(name));
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new InvalidChartException("chart archive contains a device or FIFO entry: " + printable(name));
        }
        if (!entry.isFile() && !entry.isDirectory()) {
            throw new InvalidChartException("chart archive contains an entry that is neither file nor directory: " + printable(name));
        }
    }

    /** The name without a trailing slash, after refusing every unsafe form. */
    private static String checkName(String name) throws InvalidChartException {
        if (name == null || name.isEmpty()) {
            throw new InvalidChartException("chart archive has an entry without a name");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidChartException("chart archive has an entry name with control characters");
        }
        if (name.indexOf('\\') >= 0) {
            throw new InvalidChartException("chart archive has an entry name with a backslash: " + printable(name));
        }
        if (name.startsWith("/")) {
            throw new InvalidChartException("chart archive contains an absolute path: " + printable(name));
        }
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String component : n.split("/", -1)) {
            if (component.equals("..")) {
                throw new InvalidChartException("chart archive references a parent directory: " + printable(name));
            }
            if (component.isEmpty() || component.equals(".")) {
                throw new InvalidChartException("chart archive has a non-canonical entry name: " + printable(name));
            }
        }
        return n;
    }

    private ChartMetadata chartYaml(TarArchiveInputStream tar, String name) throws IOException {
        byte[] bytes = tar.readNBytes(limits.maxChartYamlBytes() + 1);
        if (bytes.length > limits.maxChartYamlBytes()) {
            throw new InvalidChartException(name + " is larger than " + limits.maxChartYamlBytes() + " bytes");
        }
        int start = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
        JsonNode tree;
        try {
            tree = chartYaml.readTree(new InputStreamReader(new ByteArrayInputStream(bytes, start, bytes.length - start),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)));
        } catch (IOException e) {
            throw new InvalidChartException(name + " is not acceptable YAML: " + e.getMessage(), e);
        }
        return ChartMetadata.parse(tree);
    }

    private InvalidChartException fileTooLarge(String name) {
        return new InvalidChartException("chart file " + printable(name) + " is larger than " + limits.maxFileBytes()
                + " bytes (Helm's MaxDecompressedFileSize)");
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
