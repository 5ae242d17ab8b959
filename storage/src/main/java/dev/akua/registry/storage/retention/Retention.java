package dev.akua.registry.storage.retention;

import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.storage.RegistryStorage;
import dev.akua.registry.storage.driver.FileInfo;
import dev.akua.registry.storage.driver.PathNotFoundException;
import dev.akua.registry.storage.driver.StorageDriver;
import dev.akua.registry.storage.layout.Layout;
import dev.akua.registry.storage.lease.Lease;
import dev.akua.registry.storage.lease.LeaseOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Tag retention: for each repository the most specific {@link RetentionRule} covers, removes the
 * tags no criterion keeps. A tag's age is when it was last pushed or moved (its pointer's
 * modification time). Protected tags — immutable ones above all — are never removed. Removing a
 * tag leaves its manifest; the collector reclaims it when the untagged policy says so.
 */
public final class Retention {
    public static final String TASK = "retention";
    private static final Logger LOG = Logger.getLogger(Retention.class.getName());
    private static final Pattern SIDECAR = Pattern.compile("(?:sha256-[0-9a-f]{64}|sha512-[0-9a-f]{128})\\.(?:sig|att|sbom)");

    private final RegistryStorage storage;
    private final StorageDriver driver;
    private final List<RetentionRule> rules;
    private final TagProtection protection;
    private final LeaseOptions lease;
    private final Clock clock;

    public Retention(RegistryStorage storage, List<RetentionRule> rules, TagProtection protection, LeaseOptions lease, Clock clock) {
        this.storage = storage;
        this.driver = storage.driver();
        this.rules = List.copyOf(rules);
        this.protection = protection;
        this.lease = lease;
        this.clock = clock;
    }

    public RetentionReport run(boolean dryRun) throws IOException {
        Instant start = clock.instant();
        if (rules.isEmpty()) {
            return new RetentionReport(dryRun, start, Duration.ZERO, Optional.of("no retention rules configured"), List.of(), List.of());
        }
        Lease held = null;
        if (!dryRun) {
            Optional<Lease> acquired = Lease.acquire(driver, TASK, lease, clock);
            if (acquired.isEmpty()) {
                return new RetentionReport(false, start, Duration.between(start, clock.instant()),
                        Optional.of("lease held by another replica"), List.of(), List.of());
            }
            held = acquired.get();
        }
        try {
            List<RetentionReport.TagEntry> removed = new ArrayList<>();
            List<RetentionReport.TagEntry> protectedKept = new ArrayList<>();
            for (RepositoryName repo : storage.catalog().all()) {
                Optional<RetentionRule> rule = RepositoryGlob.mostSpecific(rules, RetentionRule::repositories, repo);
                if (rule.isPresent()) {
                    apply(repo, rule.get(), start, dryRun, removed, protectedKept);
                    if (held != null) {
                        held.renew();
                    }
                }
            }
            return new RetentionReport(dryRun, start, Duration.between(start, clock.instant()), Optional.empty(), removed, protectedKept);
        } finally {
            if (held != null) {
                held.release();
            }
        }
    }

    private void apply(RepositoryName repo, RetentionRule rule, Instant now, boolean dryRun,
                       List<RetentionReport.TagEntry> removed, List<RetentionReport.TagEntry> protectedKept) throws IOException {
        List<RetentionReport.TagEntry> tags = tagsOf(repo);
        tags.sort(Comparator.comparing(RetentionReport.TagEntry::pushedAt).reversed()
                .thenComparing(t -> t.tag().value()));
        for (int i = 0; i < tags.size(); i++) {
            RetentionReport.TagEntry t = tags.get(i);
            boolean keep = rule.keepLast().isPresent() && i < rule.keepLast().getAsInt()
                    || rule.keepNewerThan().isPresent() && t.pushedAt().isAfter(now.minus(rule.keepNewerThan().get()))
                    || rule.keepMatching().isPresent() && rule.keepMatching().get().matcher(t.tag().value()).matches();
            if (keep) {
                continue;
            }
            if (protection.isProtected(repo, t.tag())) {
                protectedKept.add(t);
                continue;
            }
            if (dryRun) {
                removed.add(t);
            } else if (removeIfUnchanged(repo, t)) {
                removed.add(t);
            }
        }
    }

    /** Removes the tag unless it was pushed again since it was judged. */
    private boolean removeIfUnchanged(RepositoryName repo, RetentionReport.TagEntry t) throws IOException {
        try {
            FileInfo info = driver.stat(Layout.tagLink(repo, t.tag()));
            // listings and single lookups may report times at different precisions (S3: ms vs s)
            if (!info.modifiedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .equals(t.pushedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
                return false;
            }
        } catch (PathNotFoundException e) {
            return false;
        }
        boolean deleted = storage.tags().delete(repo, t.tag());
        if (deleted) {
            LOG.log(Level.INFO, "retention removed tag {0}", t);
        }
        return deleted;
    }

    /** The repository's tags with their targets and push times, sidecar tags left out. */
    private List<RetentionReport.TagEntry> tagsOf(RepositoryName repo) throws IOException {
        String prefix = Layout.tagsDir(repo) + "/";
        List<FileInfo> links = new ArrayList<>();
        driver.walk(Layout.tagsDir(repo), links::add);
        List<RetentionReport.TagEntry> out = new ArrayList<>();
        for (FileInfo info : links) {
            String[] parts = info.path().substring(prefix.length()).split("/");
            if (parts.length != 3 || !parts[1].equals("current") || !parts[2].equals("link")
                    || !Tag.isValid(parts[0]) || SIDECAR.matcher(parts[0]).matches()) {
                continue;
            }
            try {
                Digest d = Digest.parse(new String(driver.getContent(info.path()), StandardCharsets.US_ASCII).trim());
                out.add(new RetentionReport.TagEntry(repo, new Tag(parts[0]), d, info.modifiedAt()));
            } catch (PathNotFoundException | OciException e) {
                // removed meanwhile, or not a digest: nothing to judge
            }
        }
        return out;
    }
}
