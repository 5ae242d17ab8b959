package dev.akua.registry.publisher.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DeterministicTarGzTest {

    private static Map<String, byte[]> files(String... namesAndContents) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            m.put(namesAndContents[i], namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void write_sameFilesInAnyOrder_sameBytes() {
        byte[] a = DeterministicTarGz.write(files("c/templates/b.yaml", "B", "c/Chart.yaml", "C", "c/a", "A"));
        byte[] b = DeterministicTarGz.write(files("c/a", "A", "c/templates/b.yaml", "B", "c/Chart.yaml", "C"));
        assertArrayEquals(a, b);
    }

    @Test
    void write_anyFiles_gzipHeaderHasNoTimeNoNameAndUnknownOs() {
        byte[] tgz = DeterministicTarGz.write(files("x", "y"));
        assertArrayEquals(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff}, Arrays.copyOf(tgz, 10));
    }

    @Test
    void write_anyFiles_sortedEntriesWithFixedHeaders() throws Exception {
        String longName = "chart/templates/" + "x".repeat(150) + ".yaml";
        byte[] tgz = DeterministicTarGz.write(files("chart/values.yaml", "v", longName, "L", "chart/Chart.yaml", "c"));
        List<String> names = new ArrayList<>();
        Map<String, String> contents = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                contents.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                assertEquals(0, e.getModTime().getTime(), e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                assertEquals(DeterministicTarGz.MODE, e.getMode());
                assertEquals(TarArchiveEntry.LF_NORMAL, e.getLinkFlag());
            }
        }
        assertEquals(List.of("chart/Chart.yaml", longName, "chart/values.yaml"), names);
        assertEquals("L", contents.get(longName));
    }
}
