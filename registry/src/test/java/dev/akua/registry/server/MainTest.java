package dev.akua.registry.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void version_printsVersion() {
        assertEquals(0, run("version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("akua-registry "));
    }

    @Test
    void config_listsEveryKeyWithItsVariable() {
        assertEquals(0, run("config"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("http.port") && text.contains("AKUA_REGISTRY_HTTP_PORT"), text);
    }

    @Test
    void unknownCommand_isUsageError() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command"));
    }

    @Test
    void serve_unknownOption_isUsageError() {
        assertEquals(2, run("serve", "--port", "1"));
    }
}
