package dev.akua.registry.publisher.archive;

import dev.akua.registry.helm.chart.ArchiveStreams;
import dev.akua.registry.helm.chart.ArchiveStreams.Counting;
import dev.akua.registry.helm.chart.ArchiveStreams.LimitExceeded;
import dev.akua.registry.helm.chart.ArchiveStreams.SourceFailure;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads a gzip-compressed tar a client sent, treating it as hostile: one pass over the stream, every
 * limit of {@link ArchiveLimits} enforced while reading (the inflated byte count stops a gzip bomb
 * as it expands, not after), and only plain files and directories accepted. Refused outright:
 * absolute names, {@code ..} components, backslashes, empty components, symbolic and hard links,
 * character and block devices, FIFOs, sparse files, unknown entry types, and a name appearing twice.
 * A leading {@code ./} is removed from names (what {@code tar -C dir .} writes).
 *
 * <p>Gzip is decoded by the JDK's {@code GZIPInputStream}: commons-compress 1.28 rejects the
 * free-form FEXTRA field some writers (Helm) emit, which RFC 1952 lets readers skip. Tar is decoded
 * by commons-compress (ustar, GNU and PAX headers, long names).
 *
 * <p>The returned digest covers every byte of the client's stream, including anything after the
 * end of the tar (it is drained, not inflated, within {@code maxCompressedBytes}).
 */
public final class TarGzReader {
    /** Receives each regular file; {@code content} ends at the end of the file and must not be closed. */
    @FunctionalInterface
    public interface FileVisitor {
        void file(String name, long size, InputStream content) throws IOException, ArchiveRefusal;
    }

    /**
     * @param digest sha256 of the whole compressed stream
     * @param size   its length in bytes
     * @param files  how many regular files were read
     */
    public record Summary(Digest digest, long size, int files) {
    }

    private final ArchiveLimits limits;

    public TarGzReader(ArchiveLimits limits) {
        this.limits = limits;
    }

    public ArchiveLimits limits() {
        return limits;
    }

    /**
     * Reads the archive, handing every regular file to {@code visitor} in archive order.
     *
     * @throws ArchiveRefusal when the archive breaks a rule or a limit, or is not a gzip tar
     * @throws IOException    when {@code source} itself fails (the client went away)
     */
    public Summary read(InputStream source, FileVisitor visitor) throws ArchiveRefusal, IOException {
        MessageDigest sha256 = DigestAlgorithm.SHA256.newMessageDigest();
        Counting raw = new Counting(ArchiveStreams.source(source), limits.maxCompressedBytes(),
                "the archive is larger than " + limits.maxCompressedBytes() + " bytes", sha256);
        int files = 0;
        try {
            Counting inflated = new Counting(new GZIPInputStream(ArchiveStreams.keepOpen(raw), 8192), limits.maxUnpackedBytes(),
                    "the archive expands to more than " + limits.maxUnpackedBytes() + " bytes", null);
            TarArchiveInputStream tar = new TarArchiveInputStream(inflated);
            Set<String> seen = new HashSet<>();
            long declaredTotal = 0;
            int entries = 0;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new ArchiveRefusal("the archive has more than " + limits.maxEntries() + " entries", true);
                }
                String name = EntryNames.normalize(entry.getName());
                checkType(entry, name);
                if (entry.isDirectory()) {
                    continue;
                }
                if (!seen.add(name)) {
                    throw new ArchiveRefusal("entry '" + name + "' appears twice in the archive", false);
                }
                long size = entry.getSize();
                if (size < 0 || size > limits.maxFileBytes()) {
                    throw new ArchiveRefusal("file '" + name + "' has " + size + " bytes, more than the limit of "
                            + limits.maxFileBytes(), true);
                }
                declaredTotal += size;
                if (declaredTotal > limits.maxUnpackedBytes()) {
                    throw new ArchiveRefusal("the archive's files add up to more than " + limits.maxUnpackedBytes() + " bytes", true);
                }
                files++;
                visitor.file(name, size, ArchiveStreams.keepOpen(tar));
            }
        } catch (LimitExceeded e) {
            throw new ArchiveRefusal(e.getMessage(), true);
        } catch (SourceFailure e) {
            throw e.original();
        } catch (IOException | RuntimeException e) {
            SourceFailure failed = ArchiveStreams.find(e, SourceFailure.class);
            if (failed != null) {
                throw failed.original();
            }
            throw new ArchiveRefusal("not a valid gzip-compressed tar: " + describe(e), e);
        }
        try {
            raw.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (LimitExceeded e) {
            throw new ArchiveRefusal(e.getMessage(), true);
        } catch (SourceFailure e) {
            throw e.original();
        }
        return new Summary(Digest.fromHash(DigestAlgorithm.SHA256, sha256), raw.count(), files);
    }

    private static void checkType(TarArchiveEntry entry, String name) throws ArchiveRefusal {
        String what = null;
        if (entry.isSymbolicLink()) {
            what = "a symbolic link";
        } else if (entry.isLink()) {
            what = "a hard link";
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            what = "a device";
        } else if (entry.isFIFO()) {
            what = "a FIFO";
        } else if (entry.isSparse()) {
            what = "a sparse file";
        } else if (!entry.isDirectory() && !isPlainFile(entry)) {
            what = "an entry of unsupported type '" + (char) entry.getLinkFlag() + "'";
        }
        if (what != null) {
            throw new ArchiveRefusal("entry '" + name + "' is " + what + "; only regular files and directories are accepted", false);
        }
        if (name.isEmpty() && !entry.isDirectory()) {
            throw new ArchiveRefusal("an archive entry has an empty name", false);
        }
    }

    private static boolean isPlainFile(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
