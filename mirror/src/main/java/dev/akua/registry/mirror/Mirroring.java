package dev.akua.registry.mirror;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.signing.RepositoryPattern;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs mirroring rules: for each rule, the upstream repositories it names (literal names as given,
 * patterns matched against the upstream's {@code _catalog}), their tags that pass the rule's filter,
 * each copied with {@link ArtifactCopier} (signatures, attestations, referrers; incremental; tags
 * last). One artifact failing does not stop the others; it is reported and nothing of it is tagged.
 * One run at a time per process (the scheduler and the CLI share it).
 */
public final class Mirroring {
    private static final Logger LOG = Logger.getLogger(Mirroring.class.getName());

    private final Upstreams upstreams;
    private final LocalContent local;
    private final MirrorLimits limits;
    private final SignatureGate gate;
    private final ReentrantLock running = new ReentrantLock();

    Mirroring(Upstreams upstreams, LocalContent local, MirrorLimits limits, SignatureGate gate) {
        this.upstreams = upstreams;
        this.local = local;
        this.limits = limits;
        this.gate = gate;
    }

    public MirrorReport run(List<MirrorRule> rules, Progress progress) {
        running.lock();
        try {
            return runLocked(rules, progress);
        } finally {
            running.unlock();
        }
    }

    private MirrorReport runLocked(List<MirrorRule> rules, Progress progress) {
        int copied = 0;
        int unchanged = 0;
        int skipped = 0;
        long bytes = 0;
        List<String> failures = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        ArtifactCopier copier = new ArtifactCopier(local, limits, progress);
        for (MirrorRule rule : rules) {
            Optional<Upstreams.Source> found = upstreams.named(rule.upstream());
            if (found.isEmpty()) {
                failures.add("rule " + rule.name() + ": no upstream named " + rule.upstream());
                continue;
            }
            Upstreams.Source source = found.get();
            progress.begin("mirror " + rule.name(), -1, -1);
            if (rule.onlySigned() && !gate.hasPolicies() && rule.policy() == null) {
                String line = "rule " + rule.name() + ": onlySigned needs a trust policy (signing.policies); nothing copied";
                failures.add(line);
                progress.note(line);
                progress.end();
                continue;
            }
            List<String> repositories;
            try {
                repositories = repositories(source, rule);
            } catch (IOException | RuntimeException e) {
                String line = "rule " + rule.name() + ": cannot list repositories of " + source.upstream().name() + ": " + e.getMessage();
                failures.add(line);
                progress.note(line);
                progress.end();
                continue;
            }
            ArtifactCopier.Options options = new ArtifactCopier.Options(rule.signatures(), rule.referrers(), rule.onlySigned(),
                    rule.policy(), gate);
            for (String up : repositories) {
                RepositoryName repo;
                List<String> tags;
                try {
                    repo = source.upstream().localName(up);
                    tags = source.client().tags(up, limits.maxTags()).stream().filter(rule.tags()::matches).sorted().toList();
                } catch (IOException | RuntimeException e) {
                    String line = "rule " + rule.name() + ": cannot list tags of " + up + ": " + e.getMessage();
                    failures.add(line);
                    progress.note(line);
                    continue;
                }
                for (String tag : tags) {
                    String what = repo + ":" + tag;
                    try {
                        ArtifactCopier.Outcome outcome = copier.copyTag(source, repo, tag, options);
                        bytes += outcome.bytes();
                        String line = switch (outcome.status()) {
                            case COPIED -> {
                                copied++;
                                yield "copied    " + what + " " + outcome.digest() + " (" + outcome.manifests() + " manifests, "
                                        + outcome.blobs() + " blobs, " + outcome.bytes() + " bytes)";
                            }
                            case UNCHANGED -> {
                                unchanged++;
                                yield "unchanged " + what + " " + outcome.digest();
                            }
                            case SKIPPED -> {
                                skipped++;
                                yield "skipped   " + what + " " + outcome.digest() + ": " + outcome.detail();
                            }
                        };
                        lines.add(line);
                        progress.note(line);
                    } catch (IOException | RuntimeException e) {
                        source.record(e);
                        String line = "failed    " + what + ": " + e.getMessage();
                        failures.add(line);
                        lines.add(line);
                        progress.note(line);
                        LOG.log(Level.FINE, line, e);
                    }
                }
            }
            progress.end();
        }
        return new MirrorReport(copied, unchanged, skipped, failures, lines, bytes);
    }

    private List<String> repositories(Upstreams.Source source, MirrorRule rule) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        List<String> catalog = null;
        for (RepositoryPattern pattern : rule.repositories()) {
            if (MirrorRule.isLiteral(pattern)) {
                out.add(pattern.value());
                continue;
            }
            if (catalog == null) {
                catalog = source.client().catalog(limits.maxRepositories());
            }
            for (String name : catalog) {
                if (RepositoryName.isValid(name) && pattern.matches(RepositoryName.parse(name))) {
                    out.add(name);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
