package dev.akua.registry.feature.lock;

import dev.akua.registry.lockfile.LockMode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LockCommandTest {

    @Test
    void parse_defaults_lockInTheCurrentDirectoryLocally() {
        assertEquals(new LockCommand.Options(LockMode.LOCK, Path.of("."), Optional.empty(), Optional.empty()), LockCommand.parse(List.of()));
    }

    @Test
    void parse_allOptions_bothSpellings() {
        LockCommand.Options o = LockCommand.parse(List.of("--update", "--workspace=ws", "--registry", "https://r.example", "--token-file", "t"));
        assertEquals(LockMode.UPDATE, o.mode());
        assertEquals(Path.of("ws"), o.workspace());
        assertEquals(Optional.of(URI.create("https://r.example")), o.registry());
        assertEquals(Optional.of(Path.of("t")), o.tokenFile());
        assertEquals(LockMode.CHECK, LockCommand.parse(List.of("--check", "--check")).mode());
    }

    @Test
    void parse_badCommandLines_refused() {
        for (List<String> args : List.of(List.of("--check", "--update"), List.of("--workspace"), List.of("--nope"), List.of("extra"),
                List.of("--registry", "ftp://x"), List.of("--registry", "https://u:p@x"), List.of("--registry", "x"),
                List.of("--token-file", "t"), List.of("--check=yes"))) {
            assertThrows(IllegalArgumentException.class, () -> LockCommand.parse(args), args::toString);
        }
    }
}
