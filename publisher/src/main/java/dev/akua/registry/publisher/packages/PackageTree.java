package dev.akua.registry.publisher.packages;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The digest of an akua workspace's package files, for {@code publish} when no published package
 * digest is given: akua's {@code hash_dir} (wire contract §4.3: files sorted by relative path
 * component by component, each contributing {@code path NUL bytes LF} to one SHA-256) over exactly
 * the files akua's packer puts in a package tarball (§2.2): every regular file except under
 * directories named {@code .*}, {@code deploy}, {@code rendered}, {@code out}, {@code target},
 * {@code node_modules} or {@code dist}, files whose name starts with {@code .}, and {@code inputs.yaml};
 * symbolic links and special files are skipped.
 */
public final class PackageTree {
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("deploy", "rendered", "out", "target", "node_modules", "dist");

    private PackageTree() {
    }

    /** The files in package order, as relative paths with {@code /} separators. */
    public static List<String> files(Path workspace) throws IOException {
        List<Path> out = new ArrayList<>();
        walk(workspace, workspace, out);
        out.sort(PackageTree::compareComponents);
        return out.stream().map(p -> workspace.relativize(p).toString().replace('\\', '/')).toList();
    }

    public static Digest digest(Path workspace) throws IOException {
        MessageDigest sha = DigestAlgorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[64 * 1024];
        for (String rel : files(workspace)) {
            sha.update(rel.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (InputStream in = Files.newInputStream(workspace.resolve(rel))) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
            }
            sha.update((byte) '\n');
        }
        return Digest.fromHash(DigestAlgorithm.SHA256, sha);
    }

    private static void walk(Path root, Path dir, List<Path> out) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!name.startsWith(".") && !SKIPPED_DIRECTORIES.contains(name)) {
                        walk(root, p, out);
                    }
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !name.startsWith(".") && !name.equals("inputs.yaml")) {
                    out.add(p);
                }
            }
        }
    }

    /** Rust's {@code Path} order: component by component, each compared by its bytes. */
    private static int compareComponents(Path a, Path b) {
        int n = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < n; i++) {
            int c = java.util.Arrays.compareUnsigned(a.getName(i).toString().getBytes(StandardCharsets.UTF_8),
                    b.getName(i).toString().getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
    }
}
