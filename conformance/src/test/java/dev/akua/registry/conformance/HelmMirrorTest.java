package dev.akua.registry.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.feature.helm.HelmMirrorCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirroring for offline sites: {@code helm-mirror} copies the selected versions (all, a SemVer
 * range, a pattern) into the store; a registry started later while the upstream is gone serves them.
 */
class HelmMirrorTest {
    @TempDir
    Path dir;
    private WireMockServer upstream;
    private int port;
    private final Map<String, byte[]> charts = new java.util.LinkedHashMap<>();

    @BeforeEach
    void start() {
        upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        port = upstream.port();
        List<HelmFixtures.IndexEntry> entries = new ArrayList<>();
        for (String v : List.of("1.0.0", "1.5.0", "2.0.0", "2.1.0-rc.1")) {
            byte[] tgz = HelmFixtures.chart("app", v);
            charts.put(v, tgz);
            upstream.stubFor(get(urlEqualTo("/repo/charts/app-" + v + ".tgz")).willReturn(aResponse().withBody(tgz)));
            entries.add(new HelmFixtures.IndexEntry("app", v, "charts/app-" + v + ".tgz", HelmFixtures.sha256(tgz)));
        }
        upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).willReturn(aResponse().withBody(HelmFixtures.index(entries))));
    }

    @AfterEach
    void stop() {
        upstream.stop();
    }

    private Path config(String versions) throws Exception {
        Path file = dir.resolve("akua-registry.yaml");
        Files.writeString(file, """
                storage:
                  filesystem:
                    root: %s
                helm:
                  enabled: true
                  spoolDir: %s
                  remote:
                    allowLoopback: true
                  upstreams:
                    - name: up
                      url: http://127.0.0.1:%d/repo
                  mirrors:
                    - upstream: up
                      chart: app
                      versions: "%s"
                """.formatted(dir.resolve("data"), dir.resolve("spool"), port, versions));
        return file;
    }

    private int mirror(Path configFile, ByteArrayOutputStream out, String... args) {
        RegistryConfig config = new ConfigLoader().load(configFile, Map.of("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1"));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new HelmMirrorCommand().run(List.of(args), config, print, print);
    }

    @Test
    void helmMirror_semverRange_copiesMatchingVersionsAndServesThemOffline() throws Exception {
        Path configFile = config(">=1.0.0 <2.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = mirror(configFile, out);

        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 fetched, 0 already stored, 0 failed"), out.toString(StandardCharsets.UTF_8));
        upstream.verify(0, getRequestedFor(urlEqualTo("/repo/charts/app-2.0.0.tgz")));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(0, mirror(configFile, again));
        assertTrue(again.toString(StandardCharsets.UTF_8).contains("0 fetched, 2 already stored"), again.toString(StandardCharsets.UTF_8));

        upstream.stop();
        try (TestRegistry offline = TestRegistry.start(dir.resolve("offline"), Files.readString(configFile),
                Map.of("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", dir.resolve("data").toString()))) {
            Http http = new Http(offline.base());
            assertArrayEquals(charts.get("1.5.0"), http.get("/helm/up/charts/app-1.5.0.tgz").body());
            assertEquals(200, http.get("/v2/helm/up/app/manifests/1.0.0").status());
            assertTrue(http.get("/helm/up/index.yaml").text().contains("app-2.0.0.tgz"), "the kept index still lists every version");
            http.get("/helm/up/charts/app-2.0.0.tgz").assertError(502, "UNAVAILABLE");
        }
    }

    @Test
    void helmMirror_patternFromCommandLine_copiesOnlyMatches() throws Exception {
        Path configFile = config("all");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = mirror(configFile, out, "--upstream", "up", "--chart", "app", "--versions", "pattern:2.*");

        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 fetched"), out.toString(StandardCharsets.UTF_8));
        upstream.verify(1, getRequestedFor(urlEqualTo("/repo/charts/app-2.1.0-rc.1.tgz")));
        upstream.verify(0, getRequestedFor(urlEqualTo("/repo/charts/app-1.0.0.tgz")));
        assertEquals(2, mirror(configFile, new ByteArrayOutputStream(), "--upstream", "up"), "usage error");
    }
}
