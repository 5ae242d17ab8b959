package dev.akua.registry.conformance;

import dev.akua.registry.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} in the middle of a chunked upload: after a restart the upload reports how much
 * arrived, resumes from there and completes; every committed blob still hashes to its digest.
 */
class CrashResumeTest {
    @TempDir
    Path work;

    @Test
    void kill9MidChunk_restart_resumesFromReportedOffset_andCommittedBlobsStayIntact() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Path log = work.resolve("registry.log");
        int port = RegistryProcess.freePort();
        String repo = "crash/test";
        byte[] blob = Oci.random(24 * 1024 * 1024, 99);
        int firstChunk = 1024 * 1024;
        String location;
        RegistryProcess first = RegistryProcess.start(data, port, log);
        try {
            Http http = new Http(first.base());
            Oci oci = new Oci(http);
            for (int i = 0; i < 3; i++) {
                oci.pushImage("crash/committed", "v" + i, "seed" + i, "");
            }
            location = http.post("/v2/" + repo + "/blobs/uploads/").header("Location").orElseThrow();
            assertEquals(202, http.patch(location, Arrays.copyOfRange(blob, 0, firstChunk), "0-" + (firstChunk - 1)).status());

            // Second chunk: announce all remaining bytes, send part of them, then kill the server.
            String uploadId = location.substring(location.lastIndexOf('/') + 1);
            Path uploadData = data.resolve("repositories/" + repo + "/_uploads/" + uploadId + "/data");
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                String head = "PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Range: " + firstChunk + "-" + (blob.length - 1)
                        + "\r\nContent-Length: " + (blob.length - firstChunk) + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                int sent = firstChunk;
                int half = firstChunk + (blob.length - firstChunk) / 2;
                while (sent < half) {
                    int n = Math.min(256 * 1024, half - sent);
                    out.write(blob, sent, n);
                    sent += n;
                }
                out.flush();
                long deadline = System.currentTimeMillis() + 20_000;
                while (Files.size(uploadData) < firstChunk + 4L * 1024 * 1024 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(Files.size(uploadData) > firstChunk, "part of the second chunk reached storage before the kill");
                first.kill();
            }
        } finally {
            first.close();
        }

        try (RegistryProcess second = RegistryProcess.start(data, port, log)) {
            Http http = new Http(second.base());
            Http.Resp status = http.get(location);
            assertEquals(204, status.status(), status::text);
            String range = status.header("Range").orElseThrow();
            long offset = Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
            assertTrue(offset > firstChunk && offset < blob.length, "resume point " + offset);
            Http.Resp rest = http.patch(status.header("Location").orElseThrow(),
                    Arrays.copyOfRange(blob, (int) offset, blob.length), offset + "-" + (blob.length - 1));
            assertEquals(202, rest.status(), rest::text);
            Digest digest = Digest.sha256(blob);
            Http.Resp done = http.put(Http.withQuery(rest.header("Location").orElseThrow(), "digest=" + digest), new byte[0], null);
            assertEquals(201, done.status(), done::text);
            assertArrayEquals(blob, http.get("/v2/" + repo + "/blobs/" + digest).body());
            for (int i = 0; i < 3; i++) {
                assertEquals(200, http.get("/v2/crash/committed/manifests/v" + i).status());
            }
        }

        List<Path> blobs;
        try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
            blobs = files.filter(p -> p.getFileName().toString().equals("data")).toList();
        }
        assertTrue(blobs.size() >= 10, "committed blobs found: " + blobs.size());
        for (Path p : blobs) {
            String hex = p.getParent().getFileName().toString();
            assertEquals(hex, Digest.sha256(Files.readAllBytes(p)).hex(), "blob " + hex + " hashes to its digest");
        }
    }
}
