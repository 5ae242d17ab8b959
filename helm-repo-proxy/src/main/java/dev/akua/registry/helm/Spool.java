package dev.akua.registry.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A chart archive held in a local temporary file while it is checked (digest, then validation)
 * before it may enter the content store; never in memory. Deleted on close.
 *
 * @param file      the temporary file
 * @param sha256Hex hex sha256 of its bytes
 * @param size      its size
 */
record Spool(Path file, String sha256Hex, long size) implements AutoCloseable {

    /** Thrown when the stream is longer than the cap; the partial file is already deleted. */
    static final class TooLarge extends IOException {
        TooLarge(long cap) {
            super("larger than " + cap + " bytes");
        }
    }

    /** Copies at most {@code cap} bytes of {@code in} into a new file under {@code dir}. */
    static Spool of(InputStream in, Path dir, long cap) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "chart-", ".tgz");
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > cap) {
                    throw new TooLarge(cap);
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(file);
            }
        }
        return new Spool(file, HexFormat.of().formatHex(sha256.digest()), size);
    }

    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is harmless; the directory is scratch space
        }
    }
}
