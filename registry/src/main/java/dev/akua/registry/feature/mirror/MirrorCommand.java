package dev.akua.registry.feature.mirror;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.mirror.Mirror;
import dev.akua.registry.mirror.MirrorReport;
import dev.akua.registry.mirror.MirrorRule;
import dev.akua.registry.mirror.TagFilter;
import dev.akua.registry.server.RegistryServer;
import dev.akua.registry.signing.RepositoryPattern;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code akua-registry mirror run [--rule NAME]… | [--upstream NAME --repository PATTERN… [--tags PATTERN]…
 * [--semver RANGE] [--only-signed [--policy NAME]] [--no-signatures] [--no-referrers]] [--progress bar|lines|none]}:
 * runs the configured mirroring rules now (all of them, or the named ones), or one rule given on
 * the command line. Prints one line per artifact and a summary. Exit 0 when nothing failed
 * (artifacts skipped by {@code onlySigned} are not failures), 1 when something failed, 2 on a
 * usage or configuration error.
 */
public final class MirrorCommand implements CliCommand {
    private static final String USAGE = "usage: akua-registry mirror run [--config FILE] [--rule NAME]... | [--upstream NAME"
            + " --repository PATTERN... [--tags PATTERN]... [--semver RANGE] [--only-signed [--policy NAME]] [--no-signatures]"
            + " [--no-referrers]] [--progress bar|lines|none]";

    @Override
    public String name() {
        return "mirror";
    }

    @Override
    public String summary() {
        return "run mirroring rules now: copy from upstream registries with signatures and referrers";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !args.getFirst().equals("run")) {
            err.println(USAGE);
            return 2;
        }
        List<String> ruleNames = new ArrayList<>();
        String upstream = null;
        List<String> repositories = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        String semver = null;
        String policy = null;
        String progress = null;
        boolean onlySigned = false;
        boolean signatures = true;
        boolean referrers = true;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--only-signed" -> onlySigned = true;
                case "--no-signatures" -> signatures = false;
                case "--no-referrers" -> referrers = false;
                case "--rule", "--upstream", "--repository", "--tags", "--semver", "--policy", "--progress" -> {
                    if (i + 1 >= args.size()) {
                        err.println("mirror run: " + a + " needs a value");
                        return 2;
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--rule" -> ruleNames.add(v);
                        case "--upstream" -> upstream = v;
                        case "--repository" -> repositories.add(v);
                        case "--tags" -> tags.add(v);
                        case "--semver" -> semver = v;
                        case "--policy" -> policy = v;
                        default -> progress = v;
                    }
                }
                default -> {
                    err.println("mirror run: unknown option " + a);
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        ProgressPrinter printer;
        try {
            printer = new ProgressPrinter(out, ProgressPrinter.mode(progress));
        } catch (IllegalArgumentException e) {
            err.println("mirror run: " + e.getMessage());
            return 2;
        }
        boolean adHoc = upstream != null || !repositories.isEmpty();
        if (adHoc && (upstream == null || repositories.isEmpty() || !ruleNames.isEmpty())) {
            err.println("mirror run: --upstream and --repository go together, and not with --rule");
            return 2;
        }
        try (RegistryServer registry = CliRegistry.start(config)) {
            Mirror mirror = CliRegistry.mirror(registry);
            List<MirrorRule> rules = new ArrayList<>();
            if (adHoc) {
                if (mirror.settings().upstream(upstream).isEmpty()) {
                    err.println("mirror run: no upstream named " + upstream + " in mirror.upstreams");
                    return 2;
                }
                rules.add(new MirrorRule("command-line", upstream, repositories.stream().map(RepositoryPattern::parse).toList(),
                        TagFilter.of(tags, semver), onlySigned, policy, signatures, referrers, Duration.ZERO));
            } else if (ruleNames.isEmpty()) {
                rules.addAll(mirror.settings().rules());
                if (rules.isEmpty()) {
                    err.println("mirror run: no mirror.rules configured and no --upstream/--repository given");
                    return 2;
                }
            } else {
                for (String name : ruleNames) {
                    MirrorRule rule = mirror.settings().rule(name).orElse(null);
                    if (rule == null) {
                        err.println("mirror run: no rule named " + name + " in mirror.rules");
                        return 2;
                    }
                    rules.add(rule);
                }
            }
            MirrorReport report = mirror.run(rules, printer);
            out.println("mirror run: " + report.summary());
            report.failures().stream().filter(f -> !report.lines().contains(f)).forEach(f -> out.println("  " + f));
            return report.ok() ? 0 : 1;
        } catch (IllegalArgumentException e) {
            err.println("mirror run: " + e.getMessage());
            return 2;
        }
    }
}
