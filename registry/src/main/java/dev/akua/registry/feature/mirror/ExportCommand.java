package dev.akua.registry.feature.mirror;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.PullThrough;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.mirror.ExportReport;
import dev.akua.registry.mirror.ExportSelection;
import dev.akua.registry.mirror.Mirror;
import dev.akua.registry.mirror.TagFilter;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.server.RegistryServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code akua-registry export --output FILE.tar --repository PATTERN[:TAG-PATTERN]… [--tags PATTERN]…
 * [--semver RANGE] [--progress bar|lines|none]}: writes the chosen repositories and tags — with
 * their signatures, attestations and referrers — to an OCI image-layout archive that
 * {@code akua-registry import} and standard tools read ({@code skopeo copy
 * oci-archive:FILE.tar:<repository>:<tag> …}). Repositories a pull-through source serves (mirrored
 * upstreams, proxied Helm charts under {@code helm/…}) are completed from their source first when
 * they are named literally with a tag pattern. Exit 0 on success, 1 when the export failed, 2 on a
 * usage or configuration error.
 */
public final class ExportCommand implements CliCommand {
    private static final String USAGE = "usage: akua-registry export [--config FILE] --output FILE.tar --repository PATTERN[:TAG]..."
            + " [--tags PATTERN]... [--semver RANGE] [--progress bar|lines|none]";

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write repositories (with signatures and referrers) to an OCI-layout archive for an air-gapped site";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        String output = null;
        List<String> repositories = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        String semver = null;
        String progress = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size() || !List.of("--output", "--repository", "--tags", "--semver", "--progress").contains(a)) {
                err.println("export: " + (i + 1 >= args.size() ? a + " needs a value" : "unknown option " + a));
                err.println(USAGE);
                return 2;
            }
            String v = args.get(++i);
            switch (a) {
                case "--output" -> output = v;
                case "--repository" -> repositories.add(v);
                case "--tags" -> tags.add(v);
                case "--semver" -> semver = v;
                default -> progress = v;
            }
        }
        if (output == null || repositories.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        ExportSelection selection;
        ProgressPrinter printer;
        try {
            TagFilter filter = TagFilter.of(tags, semver);
            List<ExportSelection.Item> items = new ArrayList<>();
            for (String r : repositories) {
                items.add(ExportSelection.Item.parse(r, filter));
            }
            selection = new ExportSelection(items);
            printer = new ProgressPrinter(out, ProgressPrinter.mode(progress));
        } catch (IllegalArgumentException e) {
            err.println("export: " + e.getMessage());
            return 2;
        }
        try (RegistryServer registry = CliRegistry.start(config)) {
            Mirror mirror = CliRegistry.mirror(registry);
            prefetch(registry, selection, out);
            ExportReport report = mirror.export(selection, Path.of(output), printer);
            out.println("export: " + report.artifacts() + " artifacts, " + report.manifests() + " manifests, " + report.blobs()
                    + " blobs, " + ProgressPrinter.size(report.bytes()) + " written to " + report.archive());
            return 0;
        } catch (IOException | OciException | IllegalArgumentException e) {
            err.println("export: " + e.getMessage());
            return 1;
        }
    }

    /**
     * For literally named repositories that a pull-through source serves (an upstream's prefix, a
     * proxied Helm chart), fetches the tags the selection asks for that are not stored yet, so they
     * can be exported. Best effort: what the source cannot give is reported by the export itself.
     */
    private static void prefetch(RegistryServer registry, ExportSelection selection, PrintStream out) {
        List<PullThrough> sources = registry.context().service(V2Hooks.class).map(V2Hooks::pullThrough).orElse(List.of());
        if (sources.isEmpty()) {
            return;
        }
        for (ExportSelection.Item item : selection.items()) {
            if (item.repository().value().contains("*")) {
                continue;
            }
            RepositoryName repo = RepositoryName.parse(item.repository().value());
            for (PullThrough source : sources) {
                if (!source.handles(repo)) {
                    continue;
                }
                List<Tag> known = SourceTags.of(source, RegistryEvents.MIRROR, repo)
                        .orElseGet(() -> registry.storage().tags().list(repo));
                for (Tag tag : known) {
                    if (item.tags().matches(tag.value())) {
                        try {
                            source.prepareManifest(RegistryEvents.MIRROR, repo, tag);
                        } catch (OciException e) {
                            out.println("export: cannot fetch " + repo + ":" + tag + " from its source: " + e.getMessage());
                        }
                    }
                }
                break;
            }
        }
    }
}
