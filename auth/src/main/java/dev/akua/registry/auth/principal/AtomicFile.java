package dev.akua.registry.auth.principal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

/**
 * Small credential files replaced as a whole: written to a temporary file beside the target,
 * forced to disk, then renamed over it (ARCHITECTURE.md rule 2), so a reader sees the old or the
 * new file, never half of one. Read-modify-write cycles hold an exclusive lock on
 * {@code <file>.lock}, so two CLI invocations (or a CLI and a server) cannot lose each other's
 * changes. Files are created readable by the owner only: they hold password and token hashes.
 */
public final class AtomicFile {
    private static final Object IN_PROCESS = new Object();

    private AtomicFile() {
    }

    /**
     * Reads the file (empty string if absent), applies {@code change}, writes the result back
     * atomically, all under the file's lock.
     */
    public static void update(Path file, UnaryOperator<String> change) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path lockFile = parent.resolve(file.getFileName() + ".lock");
            synchronized (IN_PROCESS) {
                try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = lockChannel.lock();
                    try {
                        String before = Files.exists(file) ? Files.readString(file) : "";
                        String after = change.apply(before);
                        if (!after.equals(before)) {
                            write(file, after);
                        }
                    } finally {
                        lock.release();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file's content atomically (no lock: for callers that hold it or need none). */
    public static void write(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            ownerOnly(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Restricts a file to its owner where the file system has POSIX permissions. */
    public static void ownerOnly(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
