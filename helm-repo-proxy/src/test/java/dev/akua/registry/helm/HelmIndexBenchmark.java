package dev.akua.registry.helm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.akua.registry.helm.chart.BoundedYaml;
import dev.akua.registry.helm.chart.ChartReader;
import dev.akua.registry.helm.chart.IndexReader;
import dev.akua.registry.oci.manifest.ManifestParser;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.StorageOptions;
import dev.akua.registry.storage.driver.InMemoryDriver;

/**
 * Benchmark entry point (not a test): serving and re-parsing a 10,000-entry index.yaml (1,000 charts
 * × 10 versions with realistic fields, ~6 MB) from a local fake upstream (WireMock on 127.0.0.1).
 * Cases: cold serve (fetch + streaming parse + keep a copy in storage + rewrite), warm serve (cached
 * rendered bytes), revalidated serve (If-None-Match → 304, cached rewrite reused), restart serve with
 * the upstream down (re-parse of the kept copy from storage + rewrite), and the parse and the rewrite
 * on their own. Arguments: [rounds] (default 7). Run: docs/notes/helm-bench.md.
 */
public final class HelmIndexBenchmark {
    private static final int CHARTS = 1_000;
    private static final int VERSIONS = 10;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        byte[] index = index();
        System.out.printf("index.yaml: %d entries, %.1f MB%n", CHARTS * VERSIONS, index.length / 1e6);
        WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).willReturn(aResponse().withHeader("ETag", "\"b1\"").withBody(index)));
        upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).withHeader("If-None-Match", equalTo("\"b1\"")).atPriority(1)
                .willReturn(aResponse().withStatus(304)));
        Path spool = Files.createTempDirectory("helm-bench");
        JsonMapper json = JsonMapper.builder().build();
        RemoteClient remote = RemoteClient.create(RemoteConfig.defaults().withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed()));
        String upstreams = "[{\"name\":\"bench\",\"url\":\"http://127.0.0.1:" + upstream.port() + "/repo\"}]";
        try {
            List<long[]> results = new ArrayList<>();
            String[] names = {"cold serve: fetch + parse + keep + rewrite", "warm serve: cached rewrite (per request)",
                    "revalidated serve: 304 + cached rewrite", "restart, upstream down: re-parse kept copy + rewrite",
                    "re-parse only (streaming, bounded)", "rewrite only (YAML out)"};
            for (String ignored : names) {
                results.add(new long[rounds]);
            }
            IndexReader reader = new IndexReader(new BoundedYaml(64 << 20, 64), 500_000);
            for (int r = 0; r < rounds; r++) {
                RegistryStorage storage = new RegistryStorage(new InMemoryDriver(), new StorageOptions(4 << 20, Duration.ofSeconds(5), 64 << 20),
                        new ManifestParser(), json, Clock.systemUTC());
                HelmRepositories cached = repositories(json, upstreams, storage, remote, spool, Duration.ofHours(1));
                results.get(0)[r] = time(() -> cached.upstreamIndex("bench").bytes().length);
                int n = 1000;
                long warm = time(() -> {
                    int total = 0;
                    for (int i = 0; i < n; i++) {
                        total ^= cached.upstreamIndex("bench").bytes().length;
                    }
                    return Math.abs(total);
                });
                results.get(1)[r] = warm / n;
                HelmRepositories revalidating = repositories(json, upstreams, storage, remote, spool, Duration.ZERO);
                revalidating.upstreamIndex("bench");
                results.get(2)[r] = time(() -> revalidating.upstreamIndex("bench").bytes().length);
                String down = "[{\"name\":\"bench\",\"url\":\"http://127.0.0.1:" + upstream.port() + "/repo\"}]";
                upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).atPriority(0).willReturn(aResponse().withStatus(503)));
                HelmRepositories restarted = repositories(json, down, storage, remote, spool, Duration.ofHours(1));
                results.get(3)[r] = time(() -> restarted.upstreamIndex("bench").bytes().length);
                upstream.resetMappings();
                upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).willReturn(aResponse().withHeader("ETag", "\"b1\"").withBody(index)));
                upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).withHeader("If-None-Match", equalTo("\"b1\"")).atPriority(1)
                        .willReturn(aResponse().withStatus(304)));
                IndexModel[] model = new IndexModel[1];
                results.get(4)[r] = time(() -> {
                    model[0] = IndexModel.read(new ByteArrayInputStream(index), reader);
                    return model[0].size();
                });
                results.get(5)[r] = time(() -> model[0].render(IndexModel.yamlWriter(), e -> "charts/" + e.chart() + "-" + e.version() + ".tgz").length);
            }
            System.out.printf("%-55s %12s %12s %12s%n", "case (" + rounds + " rounds)", "first", "median", "min");
            for (int i = 0; i < names.length; i++) {
                long[] t = results.get(i).clone();
                long first = t[0];
                Arrays.sort(t);
                String unit = i == 1 ? "µs" : "ms";
                long div = i == 1 ? 1_000 : 1_000_000;
                System.out.printf("%-55s %9d %s %9d %s %9d %s%n", names[i], first / div, unit, t[t.length / 2] / div, unit, t[0] / div, unit);
            }
        } finally {
            upstream.stop();
        }
    }

    private static HelmRepositories repositories(JsonMapper json, String upstreams, RegistryStorage storage, RemoteClient remote,
                                                 Path spool, Duration revalidate) throws Exception {
        HelmSettings.Limits limits = new HelmSettings.Limits(64L << 20, 500_000, 32L << 20, ChartReader.Limits.helm(), revalidate,
                Duration.ofMinutes(1), false);
        HelmSettings settings = HelmSettings.parse(json.readTree(upstreams), null, null, limits, name -> null);
        return HelmRepositories.create(settings, storage, remote, json, Clock.systemUTC(), spool);
    }

    private interface Work {
        int run() throws Exception;
    }

    private static long time(Work work) throws Exception {
        long start = System.nanoTime();
        int sink = work.run();
        long elapsed = System.nanoTime() - start;
        if (sink < 0) {
            System.out.println(sink);
        }
        return elapsed;
    }

    private static byte[] index() {
        StringBuilder y = new StringBuilder(8 << 20).append("apiVersion: v1\nentries:\n");
        for (int c = 0; c < CHARTS; c++) {
            String name = "chart-" + c;
            y.append("  ").append(name).append(":\n");
            for (int v = VERSIONS - 1; v >= 0; v--) {
                String version = "1." + v + ".0";
                y.append("  - apiVersion: v2\n    appVersion: \"").append(version).append("\"\n    created: \"2026-01-0")
                        .append(1 + v % 9).append("T10:00:00.000000000Z\"\n    description: A Helm chart for Kubernetes that deploys ")
                        .append(name).append(" with sensible defaults and optional ingress\n    digest: ")
                        .append("ab").append(String.format("%062x", (long) c * 1000 + v)).append("\n    home: https://example.com/")
                        .append(name).append("\n    icon: https://example.com/").append(name).append(".png\n    keywords:\n    - web\n    - ")
                        .append(name).append("\n    maintainers:\n    - email: team@example.com\n      name: Team\n    name: ")
                        .append(name).append("\n    sources:\n    - https://github.com/example/").append(name)
                        .append("\n    type: application\n    urls:\n    - https://charts.example.com/").append(name).append('-')
                        .append(version).append(".tgz\n    version: ").append(version).append('\n');
            }
        }
        y.append("generated: \"2026-01-10T10:00:00Z\"\n");
        return y.toString().getBytes(StandardCharsets.UTF_8);
    }
}
