package dev.akua.registry.lockfile.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockOutcome;
import dev.akua.registry.lockfile.LockRequest;
import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.lockfile.helm.ChartFixtures;
import dev.akua.registry.lockfile.helm.HelmRepoResolver;
import dev.akua.registry.lockfile.signature.SignatureVerifier;
import dev.akua.registry.remote.AddressPolicy;
import dev.akua.registry.remote.RemoteClient;
import dev.akua.registry.remote.RemoteConfig;

/**
 * Benchmark entry point (not a test): locking 50 Helm-repository dependencies (semver ranges)
 * against a ~20 MB index.yaml served by a local fake repository (WireMock on 127.0.0.1).
 * <ul>
 *   <li>cold: a new LockService (empty index cache): index download + parse + 50 archive downloads;</li>
 *   <li>warm: the same service again within the revalidation window: no index request, 50 archives;</li>
 *   <li>warm-revalidated: revalidateAfter = 0, the index is revalidated with If-None-Match (304).</li>
 * </ul>
 * Run: see docs/notes/lock-bench.md. Arguments: [rounds] (default 5).
 */
public final class LockBenchmark {
    private static final int CHARTS = 1_000;
    private static final int VERSIONS = 25;
    private static final int DEPENDENCIES = 50;

    private LockBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        WireMockServer repo = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().asynchronousResponseEnabled(false));
        repo.start();
        try {
            String base = "http://127.0.0.1:" + repo.port() + "/bench";
            String index = buildIndex(repo);
            byte[] indexBytes = index.getBytes(StandardCharsets.UTF_8);
            repo.stubFor(get(urlEqualTo("/bench/index.yaml")).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"bench-1\"").withBody(indexBytes)));
            repo.stubFor(get(urlEqualTo("/bench/index.yaml")).withHeader("If-None-Match", equalTo("\"bench-1\""))
                    .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"bench-1\"")));
            StringBuilder manifest = new StringBuilder("[package]\nname = \"bench\"\nversion = \"0.1.0\"\nedition = \"akua.dev/v1alpha1\"\n\n[dependencies]\n");
            for (int i = 0; i < DEPENDENCIES; i++) {
                manifest.append("dep").append(i).append(" = { repo = \"").append(base).append("\", chart = \"").append(chart(i))
                        .append("\", version = \"^1.0\" }\n");
            }
            System.out.printf("index.yaml: %.1f MB, %d charts x %d versions; %d dependencies%n",
                    indexBytes.length / 1e6, CHARTS, VERSIONS, DEPENDENCIES);
            RemoteConfig config = RemoteConfig.defaults().withAddressPolicy(AddressPolicy.publicOnly().withLoopbackAllowed())
                    .withTotalTimeout(Duration.ofSeconds(120)).withMaxBodyBytes(64L << 20);
            LockRequest request = LockRequest.of(manifest.toString(), null, LockMode.LOCK);

            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            List<Long> revalidated = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                LockService fresh = service(config, HelmRepoResolver.Limits.defaults());
                cold.add(time(fresh, request));
                warm.add(time(fresh, request));
                LockService revalidating = service(config, HelmRepoResolver.Limits.defaults().withRevalidateAfter(Duration.ZERO));
                time(revalidating, request);
                revalidated.add(time(revalidating, request));
            }
            print("cold (empty cache)", cold);
            print("warm (cached index)", warm);
            print("warm (index revalidated, 304)", revalidated);
        } finally {
            repo.stop();
        }
    }

    private static LockService service(RemoteConfig config, HelmRepoResolver.Limits limits) {
        return LockService.create(RemoteClient.create(config), SignatureVerifier.trustingNothing(), limits);
    }

    private static long time(LockService service, LockRequest request) throws Exception {
        long start = System.nanoTime();
        LockOutcome outcome = service.resolve(request);
        long elapsed = System.nanoTime() - start;
        if (outcome.dependencies().size() != DEPENDENCIES) {
            throw new IllegalStateException("expected " + DEPENDENCIES + " entries, got " + outcome.dependencies().size());
        }
        return elapsed;
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        System.out.printf("%-32s first %6d ms   median %6d ms   min %6d ms   (n=%d)%n", what, nanos.getFirst() / 1_000_000,
                sorted.get(sorted.size() / 2) / 1_000_000, sorted.getFirst() / 1_000_000, nanos.size());
    }

    private static String chart(int i) {
        return String.format("chart-%04d", i);
    }

    /** ~20 MB of index: realistic fields (description, keywords, maintainers, dependencies) per version. */
    private static String buildIndex(WireMockServer repo) {
        StringBuilder yaml = new StringBuilder(21_000_000).append("apiVersion: v1\nentries:\n");
        for (int c = 0; c < CHARTS; c++) {
            String name = chart(c);
            yaml.append("  ").append(name).append(":\n");
            for (int v = VERSIONS - 1; v >= 0; v--) {
                String version = "1." + v + ".0";
                String digest;
                if (c < DEPENDENCIES && v == VERSIONS - 1) {
                    byte[] tgz = ChartFixtures.chart(name, version);
                    repo.stubFor(get(urlEqualTo("/bench/charts/" + name + "-" + version + ".tgz"))
                            .willReturn(aResponse().withStatus(200).withBody(tgz)));
                    digest = ChartFixtures.sha256(tgz);
                } else {
                    digest = "ab" + String.format("%062x", (long) c * VERSIONS + v);
                }
                yaml.append("    - apiVersion: v2\n      appVersion: \"").append(version).append("\"\n")
                        .append("      created: \"2026-01-01T00:00:00.000000000Z\"\n")
                        .append("      description: A Helm chart for deploying ").append(name)
                        .append(" with sensible defaults, health checks, autoscaling and a service monitor.\n")
                        .append("      digest: ").append(digest).append('\n')
                        .append("      home: https://charts.example.test/").append(name).append('\n')
                        .append("      keywords:\n        - web\n        - http\n        - example\n")
                        .append("      maintainers:\n        - email: team@example.test\n          name: Platform Team\n")
                        .append("      dependencies:\n        - name: common\n          repository: oci://registry.example.test/charts\n          version: 2.x.x\n")
                        .append("      name: ").append(name).append('\n')
                        .append("      sources:\n        - https://git.example.test/charts/").append(name).append('\n')
                        .append("      type: application\n")
                        .append("      urls:\n        - charts/").append(name).append('-').append(version).append(".tgz\n")
                        .append("      version: ").append(version).append('\n');
            }
        }
        return yaml.append("generated: \"2026-01-01T00:00:00Z\"\n").toString();
    }
}
