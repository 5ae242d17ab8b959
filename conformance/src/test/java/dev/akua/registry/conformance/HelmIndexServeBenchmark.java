package dev.akua.registry.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Benchmark entry point (not a test): {@code GET /helm/<upstream>/index.yaml} of a 10,000-entry
 * index over HTTP from the real server (cached rewrite), measured with the JDK client (sequential
 * latency) and with {@code wrk} (throughput, 4 connections) when it is installed. Run:
 * docs/notes/helm-bench.md.
 */
public final class HelmIndexServeBenchmark {
    public static void main(String[] args) throws Exception {
        StringBuilder y = new StringBuilder("apiVersion: v1\nentries:\n");
        for (int c = 0; c < 1000; c++) {
            y.append("  chart-").append(c).append(":\n");
            for (int v = 9; v >= 0; v--) {
                y.append("  - apiVersion: v2\n    name: chart-").append(c).append("\n    version: 1.").append(v)
                        .append(".0\n    appVersion: \"1.").append(v).append(".0\"\n    description: A Helm chart for Kubernetes that deploys chart-")
                        .append(c).append(" with sensible defaults\n    created: \"2026-01-01T10:00:00Z\"\n    digest: ab")
                        .append(String.format("%062x", (long) c * 1000 + v)).append("\n    urls:\n    - https://charts.example.com/chart-")
                        .append(c).append("-1.").append(v).append(".0.tgz\n");
            }
        }
        byte[] index = y.append("generated: \"2026-01-10T10:00:00Z\"\n").toString().getBytes(StandardCharsets.UTF_8);
        WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        upstream.start();
        upstream.stubFor(get(urlEqualTo("/repo/index.yaml")).willReturn(aResponse().withBody(index)));
        Path dir = Files.createTempDirectory("helm-serve-bench");
        try (TestRegistry registry = TestRegistry.start(dir, """
                helm:
                  enabled: true
                  remote:
                    allowLoopback: true
                  upstreams:
                    - name: bench
                      url: http://127.0.0.1:%d/repo
                """.formatted(upstream.port()), Map.of())) {
            Http http = new Http(registry.base());
            long start = System.nanoTime();
            int size = http.get("/helm/bench/index.yaml").body().length;
            System.out.printf("first GET (fetch + parse + keep + rewrite): %d ms, %.1f MB served%n",
                    (System.nanoTime() - start) / 1_000_000, size / 1e6);
            long[] times = new long[200];
            for (int i = 0; i < times.length; i++) {
                long t = System.nanoTime();
                http.get("/helm/bench/index.yaml");
                times[i] = System.nanoTime() - t;
            }
            Arrays.sort(times);
            System.out.printf("cached GET, JDK client, 200 sequential: median %.1f ms, p90 %.1f ms, min %.1f ms%n",
                    times[100] / 1e6, times[180] / 1e6, times[0] / 1e6);
            Path wrk = Path.of("/usr/bin/wrk");
            if (Files.isExecutable(wrk)) {
                Process p = new ProcessBuilder(wrk.toString(), "-t2", "-c4", "-d10s", registry.base() + "/helm/bench/index.yaml")
                        .redirectErrorStream(true).start();
                System.out.print(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                p.waitFor();
            }
        } finally {
            upstream.stop();
        }
    }
}
