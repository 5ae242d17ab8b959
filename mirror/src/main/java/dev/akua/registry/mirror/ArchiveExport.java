package dev.akua.registry.mirror;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.storage.manifest.StoredManifest;
import dev.akua.registry.storage.referrers.ReferrerDescriptor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the chosen repositories and tags of this registry, with their signatures, attestations
 * (sidecar tags) and referrers, to an OCI image-layout archive ({@link OciArchive}). The archive is
 * written beside the target as {@code <name>.partial} and renamed at the end, so an interrupted
 * export never leaves something that looks complete. Every blob is re-hashed as it is copied out of
 * storage; a mismatch fails the export. Manifests a pull-through cache holds without all their blobs
 * are completed through {@link MissingBlobs} first (when the upstream answers), else the export fails
 * naming them.
 */
final class ArchiveExport {
    private static final List<String> SIDECARS = List.of(".sig", ".att", ".sbom");
    private static final int BUFFER = 256 * 1024;

    /** Fetches a blob a repository should hold but does not (the pull-through cache); false when it cannot. */
    @FunctionalInterface
    interface MissingBlobs {
        boolean fetch(RepositoryName repository, Digest digest);
    }

    private final LocalContent local;
    private final MirrorLimits limits;
    private final MissingBlobs missing;
    private final JsonMapper json = OciArchive.json();

    ArchiveExport(LocalContent local, MirrorLimits limits, MissingBlobs missing) {
        this.local = local;
        this.limits = limits;
        this.missing = missing;
    }

    /** Everything that goes into the archive. */
    private static final class Plan {
        final Map<String, OciArchive.Entry> entries = new LinkedHashMap<>();
        final Map<Digest, Long> blobs = new LinkedHashMap<>();
        final List<String> lines = new ArrayList<>();
        int artifacts;
        int manifests;

        void entry(OciArchive.Entry e) {
            entries.putIfAbsent(e.repository() + " " + (e.tag() == null ? "@" + e.digest() : e.tag().value()), e);
        }
    }

    ExportReport export(ExportSelection selection, Path output, Progress progress) throws IOException {
        Plan plan = new Plan();
        for (ExportSelection.Item item : selection.items()) {
            List<RepositoryName> repositories = repositories(item);
            if (repositories.isEmpty()) {
                throw new IOException("no repository matches " + item.repository());
            }
            for (RepositoryName repo : repositories) {
                List<Tag> tags = local.storage().tags().list(repo).stream().filter(t -> item.tags().matches(t.value())).toList();
                for (Tag tag : tags) {
                    Optional<Digest> digest = local.storage().tags().resolve(repo, tag);
                    if (digest.isEmpty()) {
                        continue; // deleted meanwhile
                    }
                    List<Digest> tree = new ArrayList<>();
                    StoredManifest root = walk(repo, digest.get(), limits.maxDepth(), plan, tree);
                    plan.entry(new OciArchive.Entry(repo, tag, digest.get(), root.revision().mediaType(), root.revision().size()));
                    companions(repo, tree, limits.maxDepth(), plan);
                    plan.artifacts++;
                    plan.lines.add("export " + repo + ":" + tag + " " + digest.get());
                }
            }
        }
        if (plan.entries.isEmpty()) {
            throw new IOException("the selection holds no tagged artifact; nothing to export");
        }
        long total = plan.blobs.values().stream().mapToLong(Long::longValue).sum();
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        progress.begin("export", plan.blobs.size(), total);
        try {
            write(plan, partial, progress);
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
            progress.end();
        }
        plan.lines.forEach(progress::note);
        return new ExportReport(output, plan.artifacts, plan.manifests, plan.blobs.size(), total, plan.lines);
    }

    private List<RepositoryName> repositories(ExportSelection.Item item) {
        if (MirrorRule.isLiteral(item.repository())) {
            RepositoryName name = RepositoryName.parse(item.repository().value());
            return local.storage().catalog().exists(name) ? List.of(name) : List.of();
        }
        List<RepositoryName> out = local.storage().catalog().all().stream().filter(item.repository()::matches).toList();
        if (out.size() > limits.maxRepositories()) {
            throw new IllegalArgumentException(item.repository() + " matches more than " + limits.maxRepositories() + " repositories");
        }
        return out;
    }

    /** The manifest and everything below it, completed from the upstream where a pull-through cache left gaps. */
    private StoredManifest walk(RepositoryName repo, Digest digest, int depth, Plan plan, List<Digest> tree) throws IOException {
        StoredManifest m = local.manifest(repo, digest).orElseThrow(() ->
                new IOException(repo + "@" + digest + " is referenced but not stored"));
        tree.add(digest);
        if (plan.blobs.putIfAbsent(digest, m.revision().size()) == null) {
            plan.manifests++;
        }
        ManifestContent content = local.parse(m.bytes(), m.revision().mediaType());
        if (content.kind() == ManifestKind.IMAGE) {
            for (Descriptor blob : content.requiredBlobs()) {
                if (!local.hasBlob(repo, blob.digest()) && !missing.fetch(repo, blob.digest())) {
                    throw new IOException(repo + "@" + digest + " is incomplete: blob " + blob.digest()
                            + " is not stored (pull it once while the upstream is reachable, or mirror it)");
                }
                plan.blobs.putIfAbsent(blob.digest(), blob.size());
            }
        } else {
            if (depth <= 0) {
                throw new IOException(repo + "@" + digest + " nests indexes deeper than " + limits.maxDepth());
            }
            for (Descriptor child : content.manifests()) {
                walk(repo, child.digest(), depth - 1, plan, tree);
            }
        }
        return m;
    }

    /** Sidecar tags, referrers (recursively) and the referrers-tag-schema index of every manifest in {@code subjects}. */
    private void companions(RepositoryName repo, List<Digest> subjects, int depth, Plan plan) throws IOException {
        for (Digest subject : new LinkedHashSet<>(subjects)) {
            List<Tag> tags = new ArrayList<>();
            for (String suffix : SIDECARS) {
                if (Tag.isValid(subject.tagForm() + suffix)) {   // sha512 forms exceed the 128-character tag grammar
                    tags.add(new Tag(subject.tagForm() + suffix));
                }
            }
            if (Tag.isValid(subject.tagForm())) {
                tags.add(new Tag(subject.tagForm()));
            }
            for (Tag tag : tags) {
                Optional<Digest> d = local.storage().tags().resolve(repo, tag);
                if (d.isPresent() && local.revision(repo, d.get()).isPresent()) {
                    StoredManifest m = walk(repo, d.get(), limits.maxDepth(), plan, new ArrayList<>());
                    plan.entry(new OciArchive.Entry(repo, tag, d.get(), m.revision().mediaType(), m.revision().size()));
                }
            }
            if (depth <= 0) {
                continue;
            }
            List<ReferrerDescriptor> referrers = local.storage().referrers().list(repo, subject);
            for (ReferrerDescriptor r : referrers.subList(0, Math.min(referrers.size(), limits.maxReferrers()))) {
                if (local.revision(repo, r.digest()).isEmpty()) {
                    continue;
                }
                List<Digest> tree = new ArrayList<>();
                StoredManifest m = walk(repo, r.digest(), limits.maxDepth(), plan, tree);
                plan.entry(new OciArchive.Entry(repo, null, r.digest(), m.revision().mediaType(), m.revision().size()));
                companions(repo, tree, depth - 1, plan);
            }
        }
    }

    private void write(Plan plan, Path partial, Progress progress) throws IOException {
        Files.createDirectories(partial.toAbsolutePath().getParent());
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), BUFFER);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            small(tar, OciArchive.LAYOUT_FILE, OciArchive.layoutFile());
            small(tar, OciArchive.INDEX_FILE, OciArchive.index(json, new ArrayList<>(plan.entries.values())));
            Set<String> dirs = new LinkedHashSet<>();
            dirs.add("blobs/");
            plan.blobs.keySet().forEach(d -> dirs.add("blobs/" + d.algorithm().id() + "/"));
            for (String dir : dirs) {
                TarArchiveEntry e = new TarArchiveEntry(dir);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            byte[] buf = new byte[BUFFER];
            for (Map.Entry<Digest, Long> blob : plan.blobs.entrySet()) {
                Digest digest = blob.getKey();
                long size = local.storage().blobs().stat(digest).orElseThrow(() ->
                        new IOException("blob " + digest + " vanished from storage during the export")).size();
                if (size != blob.getValue()) {
                    throw new IOException("blob " + digest + " has " + size + " bytes in storage, " + blob.getValue() + " in its descriptor");
                }
                TarArchiveEntry e = new TarArchiveEntry(OciArchive.blobName(digest));
                e.setSize(size);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                MessageDigest md = digest.algorithm().newMessageDigest();
                long copied = 0;
                try (InputStream in = local.storage().blobs().open(digest, 0)) {
                    int n;
                    while (copied < size && (n = in.read(buf, 0, (int) Math.min(buf.length, size - copied))) >= 0) {
                        md.update(buf, 0, n);
                        tar.write(buf, 0, n);
                        copied += n;
                        progress.advance(0, n);
                    }
                }
                if (copied != size || !Digest.fromHash(digest.algorithm(), md.digest()).equals(digest)) {
                    throw new IOException("blob " + digest + " in storage does not match its digest; export stopped");
                }
                tar.closeArchiveEntry();
                progress.advance(1, 0);
            }
            tar.finish();
        }
    }

    private static void small(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
