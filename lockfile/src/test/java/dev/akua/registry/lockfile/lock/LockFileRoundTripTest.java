package dev.akua.registry.lockfile.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.akua.registry.lockfile.AkuaExamples;

class LockFileRoundTripTest {
    private final LockFileParser parser = new LockFileParser(new TomlTrees());
    private final LockFileWriter writer = new LockFileWriter();

    static Stream<Path> generatedLocks() {
        List<Path> locks = AkuaExamples.files("akua.lock").stream().filter(LockFileRoundTripTest::hasGeneratedHeader).toList();
        assertEquals(2, locks.size(), "expected the two generated-header locks (01-hello-webapp, 10-kcl-ecosystem): " + locks);
        return locks.stream();
    }

    static Stream<Path> handWrittenLocks() {
        List<Path> locks = AkuaExamples.files("akua.lock").stream().filter(p -> !hasGeneratedHeader(p)).toList();
        assertFalse(locks.isEmpty());
        return locks.stream();
    }

    private static boolean hasGeneratedHeader(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8).startsWith(LockFileWriter.HEADER);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("generatedLocks")
    void write_generatedExampleLock_reproducesBytes(Path lock) throws Exception {
        byte[] original = Files.readAllBytes(lock);

        String rewritten = writer.write(parser.parse(new String(original, StandardCharsets.UTF_8)));

        assertEquals(new String(original, StandardCharsets.UTF_8), rewritten);
        assertTrue(java.util.Arrays.equals(original, rewritten.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @MethodSource("handWrittenLocks")
    void parse_handWrittenExampleLock_readsEveryEntryAndRewritesStably(Path lock) throws Exception {
        LockFile parsed = parser.parse(Files.readString(lock, StandardCharsets.UTF_8));

        assertFalse(parsed.packages().isEmpty());
        for (LockedPackage p : parsed.packages()) {
            assertTrue(p.digest().startsWith("sha256:"), p.name());
            assertTrue(p.source().startsWith("oci://"), p.name());
        }
        String canonical = writer.write(parsed);
        assertEquals(canonical, writer.write(parser.parse(canonical)), "canonical form is a fixed point");
    }
}
