package dev.akua.registry.feature.helm;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.helm.HelmRepositories;
import dev.akua.registry.helm.HelmSettings;
import dev.akua.registry.helm.MirrorReport;
import dev.akua.registry.helm.VersionSelector;
import dev.akua.registry.server.RegistryServer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code akua-registry helm-mirror [--upstream NAME --chart NAME [--versions SEL]]}: copies chart
 * versions from proxied upstreams into the store so a disconnected registry serves them. Without
 * options it runs the configured {@code helm.mirrors} rules. It builds the registry from the same
 * configuration as {@code serve} (the composition root, on a free local port, for the run only), so
 * it writes to the same storage with the same rules. Exit 0 when everything was mirrored, 1 when
 * some version failed, 2 on a usage or configuration error.
 */
public final class HelmMirrorCommand implements CliCommand {
    @Override
    public String name() {
        return "helm-mirror";
    }

    @Override
    public String summary() {
        return "copy Helm chart versions from proxied upstreams into the store (offline sites)";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        String upstream = null;
        List<String> charts = new ArrayList<>();
        String versions = "all";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size()) {
                err.println("helm-mirror: " + a + " needs a value");
                return 2;
            }
            switch (a) {
                case "--upstream" -> upstream = args.get(++i);
                case "--chart" -> charts.add(args.get(++i));
                case "--versions" -> versions = args.get(++i);
                default -> {
                    err.println("helm-mirror: unknown option " + a);
                    err.println("usage: akua-registry helm-mirror [--config FILE] [--upstream NAME --chart NAME [--versions all|RANGE|PATTERN]]");
                    return 2;
                }
            }
        }
        if (!config.boolValue("helm.enabled")) {
            err.println("helm-mirror: helm.enabled is false in this configuration");
            return 2;
        }
        try (RegistryServer registry = RegistryServer.start(config.withPort(0))) {
            HelmRepositories helm = registry.context().service(HelmRepositories.class)
                    .orElseThrow(() -> new ConfigException("the helm feature is not active"));
            List<HelmSettings.MirrorRule> rules;
            if (upstream == null && charts.isEmpty()) {
                rules = helm.settings().mirrors();
                if (rules.isEmpty()) {
                    err.println("helm-mirror: no helm.mirrors rules configured and no --upstream/--chart given");
                    return 2;
                }
            } else {
                if (upstream == null || charts.isEmpty()) {
                    err.println("helm-mirror: --upstream and --chart go together");
                    return 2;
                }
                rules = new ArrayList<>();
                for (String chart : charts) {
                    rules.add(new HelmSettings.MirrorRule(upstream, chart, VersionSelector.parse(versions)));
                }
            }
            MirrorReport report = helm.mirror(rules);
            out.println("helm-mirror: " + report.fetched() + " fetched, " + report.present() + " already stored, "
                    + report.failures().size() + " failed");
            report.failures().forEach(f -> out.println("  failed: " + f));
            return report.ok() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println("helm-mirror: " + e.getMessage());
            return 2;
        }
    }
}
