package dev.akua.registry.publisher;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.publisher.packages.PackageTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PackageTreeTest {

    @Test
    void files_workspace_packerSelectionInComponentOrder(@TempDir Path ws) throws Exception {
        for (String f : List.of("akua.toml", "package.k", "a.b", "a/b", "vendor/x/Chart.yaml", "deploy/000-x.yaml", "dist/p.tgz",
                ".git/HEAD", "sub/.hidden", "inputs.yaml", "node_modules/m.js", "target/t", "out/o", "rendered/r")) {
            Files.createDirectories(ws.resolve(f).getParent());
            Files.writeString(ws.resolve(f), f);
        }
        Files.createSymbolicLink(ws.resolve("link.k"), ws.resolve("package.k"));
        // Rust Path order compares components: "a/b" sorts before "a.b" because "a" < "a.b"
        assertEquals(List.of("a/b", "a.b", "akua.toml", "package.k", "vendor/x/Chart.yaml"), PackageTree.files(ws));

        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (String f : PackageTree.files(ws)) {
            h.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            h.write(0);
            h.writeBytes(f.getBytes(StandardCharsets.UTF_8));
            h.write('\n');
        }
        assertEquals(Digest.sha256(h.toByteArray()), PackageTree.digest(ws));
    }
}
