package dev.akua.registry.lockfile.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeHashTest {

    @Test
    void of_tree_hashesPathNulBytesNewlineInRustPathOrder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/b"), "1");
        Files.writeString(dir.resolve("a.b"), "2");
        Files.writeString(dir.resolve(".hidden"), "3");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a.b"));

        // Rust Path order compares components: ".hidden" < "a" (so "a/b") < "a.b"; the symlink is skipped.
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (String[] file : new String[][] {{".hidden", "3"}, {"a/b", "1"}, {"a.b", "2"}}) {
            expected.update(file[0].getBytes(StandardCharsets.UTF_8));
            expected.update((byte) 0);
            expected.update(file[1].getBytes(StandardCharsets.UTF_8));
            expected.update((byte) '\n');
        }

        assertEquals("sha256:" + HexFormat.of().formatHex(expected.digest()), TreeHash.of(dir));
    }

    @Test
    void of_changedFile_changesHash(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("values.yaml"), "a: 1\n");
        String before = TreeHash.of(dir);
        Files.writeString(dir.resolve("values.yaml"), "a: 2\n");

        assertNotEquals(before, TreeHash.of(dir));
    }
}
