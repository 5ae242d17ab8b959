package dev.akua.registry.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Operator limits: {@code http.maxConcurrentRequests} turns away requests beyond the cap. */
class LimitsTest {
    @TempDir
    Path root;

    @Test
    void maxConcurrentRequests_overTheCap_is503_andServesAgainAfterwards() throws Exception {
        try (TestRegistry registry = TestRegistry.start(root, Map.of("AKUA_REGISTRY_HTTP_MAXCONCURRENTREQUESTS", "1"))) {
            Http http = new Http(registry.base());
            String location = http.post("/v2/limits/blobs/uploads/").header("Location").orElseThrow();
            // The server releases a request's permit just after its response is written; give the
            // POST's permit time to come back, or the slow request below would itself be refused.
            Thread.sleep(200);
            // One request stays in progress: its body promises 100 bytes and sends 3.
            try (Socket slow = new Socket("127.0.0.1", registry.port())) {
                OutputStream out = slow.getOutputStream();
                out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // The slow request counts once the server has parsed it; poll rather than guess when.
                long until = System.currentTimeMillis() + 10_000;
                int seen = 0;
                while (System.currentTimeMillis() < until && (seen = http.get("/v2/").status()) != 503) {
                    Thread.sleep(50);
                }
                assertEquals(503, seen, "a request beyond the cap is turned away while the slow one runs");
            }
            long deadline = System.currentTimeMillis() + 10_000;
            int status = 0;
            while (System.currentTimeMillis() < deadline && (status = http.get("/v2/").status()) != 200) {
                Thread.sleep(100);
            }
            assertEquals(200, status, "the registry serves again once the slow request ended");
        }
    }
}
