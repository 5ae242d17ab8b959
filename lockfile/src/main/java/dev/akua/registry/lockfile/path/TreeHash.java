package dev.akua.registry.lockfile.path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * akua's {@code hash_dir} (chart_resolver.rs, wire contract §4.3): every regular file below the
 * root (hidden ones included, symlinks skipped and never followed), sorted by relative path compared
 * component by component (Rust {@code Path} order), each fed to one SHA-256 as
 * {@code <relative path, '/'-separated> NUL <file bytes> LF}. Result {@code sha256:<hex>}.
 */
public final class TreeHash {
    /** A directory tree larger than this many files is refused. */
    static final int MAX_FILES = 100_000;

    private TreeHash() {
    }

    public static String of(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a directory: " + root);
        }
        List<List<String>> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    if (files.size() >= MAX_FILES) {
                        throw new IOException("more than " + MAX_FILES + " files under " + root);
                    }
                    List<String> components = new ArrayList<>();
                    root.relativize(file).forEach(c -> components.add(c.toString()));
                    files.add(components);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(TreeHash::compareComponents);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        for (List<String> rel : files) {
            sha256.update(String.join("/", rel).getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            Path file = root;
            for (String c : rel) {
                file = file.resolve(c);
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha256.update(buffer, 0, n);
                }
            }
            sha256.update((byte) '\n');
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    private static int compareComponents(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Arrays.compareUnsigned(a.get(i).getBytes(StandardCharsets.UTF_8), b.get(i).getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
