package dev.akua.registry.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class SettingsAndSelectorsTest {
    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private static HelmSettings parse(String upstreams, String hosted, String mirrors) throws Exception {
        return HelmSettings.parse(yaml(upstreams), yaml(hosted), yaml(mirrors), HelmSettings.Limits.defaults(),
                Map.of("SECRET", "s3cret")::get);
    }

    @Test
    void parse_fullConfiguration_validatedModel() throws Exception {
        HelmSettings s = parse("""
                - name: stable
                  url: https://charts.example.com/stable/
                  username: bob
                  passwordEnv: SECRET
                  allowedChartHosts: [cdn.example.com, "*.storage.example.net"]
                """, "- namespace: team/charts\n", "- {upstream: stable, charts: [a, b], versions: '>=1.0.0 <2'}\n");

        HelmSettings.Upstream up = s.upstream("stable").orElseThrow();
        assertEquals(URI.create("https://charts.example.com/stable/index.yaml"), up.indexUrl());
        assertEquals("Basic <redacted>", up.credentials().toString());
        assertTrue(up.allowsChartHost(URI.create("https://cdn.example.com/x.tgz")));
        assertTrue(up.allowsChartHost(URI.create("https://eu.storage.example.net/x.tgz")));
        assertFalse(up.allowsChartHost(URI.create("https://evil.example.org/x.tgz")));
        assertEquals(2, s.mirrors().size());
        assertEquals(Optional.of("web"), s.hosted().getFirst().chartOf(new dev.akua.registry.oci.RepositoryName("team/charts/web")));
        assertEquals(Optional.empty(), s.hosted().getFirst().chartOf(new dev.akua.registry.oci.RepositoryName("team/charts/a/b")));
    }

    @Test
    void parse_badConfigurations_refusedWithTheReason() {
        Map<String, String[]> cases = Map.of(
                "unknown field", new String[]{"- {name: a, url: 'https://x', passwrd: y}", "", ""},
                "reserved", new String[]{"- {name: hosted, url: 'https://x'}", "", ""},
                "unusable url", new String[]{"- {name: a, url: 'ftp://x'}", "", ""},
                "query", new String[]{"- {name: a, url: 'https://x/?a=b'}", "", ""},
                "configured twice", new String[]{"- {name: a, url: 'https://x'}\n- {name: a, url: 'https://y'}", "", ""},
                "unknown upstream", new String[]{"", "", "- {upstream: nope, chart: x}"},
                "not set", new String[]{"- {name: a, url: 'https://x', username: u, passwordEnv: MISSING}", "", ""},
                "proxied upstreams live", new String[]{"", "- namespace: helm/x", ""});
        cases.forEach((reason, c) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(c[0], c[1], c[2]), reason);
            assertTrue(e.getMessage().contains(reason), () -> reason + ": " + e.getMessage());
        });
    }

    @Test
    void versionSelector_allRangePattern_matchAsDocumented() {
        VersionSelector range = VersionSelector.parse(">= 1.2, < 2");
        assertTrue(range.matches("1.2.0") && range.matches("1.9.9"));
        assertFalse(range.matches("2.0.0") || range.matches("1.1.0") || range.matches("1.5.0-rc.1"));
        VersionSelector pattern = VersionSelector.parse("1.2.*");
        assertTrue(pattern.matches("1.2.7") && !pattern.matches("1.20.0-x") == pattern.matches("1.2.7"));
        assertFalse(pattern.matches("1.3.0"));
        assertTrue(VersionSelector.parse("all").matches("0.0.1-alpha"));
        assertEquals(VersionSelector.Kind.RANGE, VersionSelector.parse("^1.2").kind());
        assertThrows(IllegalArgumentException.class, () -> VersionSelector.parse(">>>"));
    }

    @Test
    void chartNames_fileNamesWithDashes_splitByWhatExists() {
        List<String> known = List.of("my-app@1.0.0-rc.1", "my@2.0.0");
        assertEquals(Optional.of(new ChartNames.ChartVersionRef("my-app", "1.0.0-rc.1")),
                ChartNames.parseFileName("my-app-1.0.0-rc.1.tgz", (c, v) -> known.contains(c + "@" + v)));
        assertEquals(Optional.empty(), ChartNames.parseFileName("my-app-9.tgz", (c, v) -> known.contains(c + "@" + v)));
        assertEquals("1.0.0_build.1", ChartNames.tagOf("1.0.0+build.1"));
    }

    @Test
    void singleFlight_concurrentCallers_shareOneRun() throws Exception {
        SingleFlight<String, Integer> flight = new SingleFlight<>();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Integer> first = pool.submit(() -> flight.run("k", () -> {
                runs.incrementAndGet();
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return 42;
            }));
            entered.await();
            List<Future<Integer>> others = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                others.add(pool.submit(() -> flight.run("k", () -> runs.incrementAndGet())));
            }
            // The seven callers arrive while the first still runs: they wait for its outcome.
            Thread.sleep(200);
            assertTrue(others.stream().noneMatch(Future::isDone));
            release.countDown();
            assertEquals(42, first.get());
            for (Future<Integer> f : others) {
                assertEquals(42, f.get());
            }
            assertEquals(1, runs.get());
            assertEquals(0, flight.inFlight());
        } finally {
            pool.shutdownNow();
        }
    }
}
