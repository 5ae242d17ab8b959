package dev.akua.registry.feature.mirror;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressPrinterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bar_terminal_redrawsInPlaceAndEndsWithFullBar() {
        ProgressPrinter p = new ProgressPrinter(out, ProgressPrinter.Mode.BAR);
        p.begin("verify", 4, 4096);
        p.advance(2, 2048);
        p.note("imported acme/app:v1");
        p.advance(2, 2048);
        p.end();

        String t = text();
        assertTrue(t.contains("\rverify [###############---------------]  50% 2.0 KiB/4.0 KiB, 2/4 items"), t);
        assertTrue(t.contains("imported acme/app:v1\n"), t);
        assertTrue(t.contains("\rverify [##############################] 100% 4.0 KiB/4.0 KiB, 4/4 items"), t);
        assertTrue(t.endsWith("\n"));
    }

    @Test
    void lines_notATerminal_oneLinePerTenthWithoutControlCharacters() {
        ProgressPrinter p = new ProgressPrinter(out, ProgressPrinter.Mode.LINES);
        p.begin("export", 10, 1000);
        for (int i = 0; i < 10; i++) {
            p.advance(1, 100);
        }
        p.end();

        String t = text();
        assertTrue(t.startsWith("export: started (10 items, 1000 B)\n"), t);
        assertTrue(t.contains("export: 50% (500 B/1000 B, 5/10 items)\n"), t);
        assertTrue(t.endsWith("export: done (1000 B/1000 B, 10/10 items)\n"), t);
        assertEquals(11, t.lines().count(), t);
        assertFalse(t.contains("\r") || t.contains("\033"), t);
    }

    @Test
    void mode_unknownOption_refused() {
        assertEquals(ProgressPrinter.Mode.NONE, ProgressPrinter.mode("none"));
        assertThrows(IllegalArgumentException.class, () -> ProgressPrinter.mode("fancy"));
    }

    @Test
    void size_humanUnits() {
        assertEquals("512 B", ProgressPrinter.size(512));
        assertEquals("1.5 MiB", ProgressPrinter.size(3 << 19));
        assertEquals("16.0 GiB", ProgressPrinter.size(16L << 30));
    }
}
