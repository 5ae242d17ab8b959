package dev.akua.registry.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.oci.manifest.Descriptor;
import dev.akua.registry.oci.manifest.ManifestContent;
import dev.akua.registry.oci.manifest.ManifestKind;
import dev.akua.registry.signing.SignatureContent;
import dev.akua.registry.storage.blob.BlobInfo;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Imports an archive written by {@link ArchiveExport} (or any OCI image-layout tar, into a chosen
 * repository). Three passes, and nothing becomes visible before the third:
 * <ol>
 *   <li><b>verify</b>: every {@code blobs/<alg>/<hex>} entry streams into a staging object while it is
 *       hashed and enters the content store only if it hashes to its name — content-addressed bytes
 *       that no repository links yet, so no pull can reach them. A blob the registry already holds
 *       with the same size is not read again (its stored copy was verified when it was stored): this
 *       is what makes an interrupted import resume quickly. Any mismatch, unexpected entry or
 *       truncated tar refuses the archive.</li>
 *   <li><b>plan</b>: every {@code index.json} descriptor is walked through the manifests it names;
 *       every manifest and blob must be in the archive with the size its descriptor gives. Then the
 *       trust policies are applied ({@link ImportOptions.SignatureMode}), verifying signatures from
 *       the archive's own content.</li>
 *   <li><b>publish</b>: per repository, blobs are linked, manifests stored children first, tags set
 *       last (sidecar tags before the artifact's own). Every step is idempotent, so running the same
 *       import again — after an interruption at any point — completes it.</li>
 * </ol>
 */
final class ArchiveImport {
    private static final int BUFFER = 256 * 1024;

    private final LocalContent local;
    private final MirrorLimits limits;
    private final SignatureGate gate;
    private final JsonMapper json = OciArchive.json();

    ArchiveImport(LocalContent local, MirrorLimits limits, SignatureGate gate) {
        this.local = local;
        this.limits = limits;
        this.gate = gate;
    }

    /** What the verify pass found. */
    private static final class Staged {
        final Map<Digest, Long> blobs = new HashMap<>();
        byte[] layout;
        byte[] index;
        int stored;
        int present;
        long bytes;
    }

    /** One index.json descriptor, walked: its manifests (children first) and blobs. */
    private record Root(OciArchive.Entry entry, List<Digest> manifests, Map<Digest, String> mediaTypes, Set<Digest> blobs,
                        Digest subject, String artifactType, Map<String, String> annotations) {
    }

    ImportReport importArchive(Path archive, ImportOptions options, Progress progress) throws IOException {
        long size = Files.isRegularFile(archive) ? Files.size(archive) : -1;   // a pipe has no size
        progress.begin("verify", -1, size);
        Staged staged;
        try {
            staged = stage(archive, progress);
        } finally {
            progress.end();
        }
        if (staged.layout == null) {
            throw new ImportRefusedException(archive + " has no oci-layout file: not an OCI image-layout archive");
        }
        checkLayout(staged.layout);
        if (staged.index == null) {
            throw new ImportRefusedException(archive + " has no index.json (an export interrupted before it finished?)");
        }
        List<OciArchive.Entry> entries;
        try {
            entries = OciArchive.readIndex(json, staged.index, options.foreignRepository(), limits.maxArchiveEntries());
        } catch (IOException e) {
            throw new ImportRefusedException(e.getMessage(), e);
        }
        List<Root> roots = new ArrayList<>();
        for (OciArchive.Entry entry : entries) {
            roots.add(walk(entry, staged));
        }
        List<String> skipped = applyPolicies(roots, options);
        List<String> lines = new ArrayList<>();
        int manifests = publish(roots, progress, lines);
        int artifacts = (int) roots.stream().filter(r -> r.entry().tag() != null && !TagFilter.isSidecarTag(r.entry().tag().value())).count();
        skipped.forEach(s -> lines.add("skipped  " + s));
        lines.forEach(progress::note);
        return new ImportReport(artifacts, manifests, staged.stored, staged.present, staged.bytes, skipped, lines);
    }

    // --- pass 1: verify ---------------------------------------------------------------------------

    private Staged stage(Path archive, Progress progress) throws IOException {
        Staged staged = new Staged();
        long[] counted = {0};
        int entries = 0;
        try (InputStream file = Files.newInputStream(archive);
             InputStream counting = new FilterInputStream(new BufferedInputStream(file, BUFFER)) {
                 @Override
                 public int read(byte[] b, int off, int len) throws IOException {
                     int n = super.read(b, off, len);
                     if (n > 0) {
                         counted[0] += n;
                     }
                     return n;
                 }

                 @Override
                 public long skip(long n) throws IOException {
                     long s = super.skip(n);
                     counted[0] += Math.max(s, 0);
                     return s;
                 }
             };
             TarArchiveInputStream tar = new TarArchiveInputStream(counting)) {
            long reported = 0;
            TarArchiveEntry e;
            while ((e = nextEntry(tar)) != null) {
                if (++entries > limits.maxArchiveEntries()) {
                    throw new ImportRefusedException("the archive has more than " + limits.maxArchiveEntries() + " entries");
                }
                String name = normalize(e.getName());
                if (e.isDirectory()) {
                    if (!(name.isEmpty() || name.equals("blobs") || name.matches("blobs/(sha256|sha512)"))) {
                        throw new ImportRefusedException("unexpected directory in the archive: " + e.getName());
                    }
                    continue;
                }
                if (!e.isFile()) {
                    throw new ImportRefusedException("the archive entry " + e.getName() + " is not a regular file (links are refused)");
                }
                switch (name) {
                    case OciArchive.LAYOUT_FILE -> staged.layout = readSmall(tar, e, 4096);
                    case OciArchive.INDEX_FILE -> staged.index = readSmall(tar, e, OciArchive.MAX_INDEX_BYTES);
                    default -> stageBlob(tar, e, name, staged, progress);
                }
                progress.advance(0, counted[0] - reported);
                reported = counted[0];
            }
        }
        return staged;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new ImportRefusedException("the archive is damaged or truncated: " + e.getMessage(), e);
        }
    }

    private void stageBlob(TarArchiveInputStream tar, TarArchiveEntry e, String name, Staged staged, Progress progress) throws IOException {
        Digest digest = OciArchive.blobDigest(name);
        if (digest == null) {
            throw new ImportRefusedException("unexpected entry in the archive: " + e.getName());
        }
        long size = e.getSize();
        if (size < 0 || size > limits.maxBlobBytes()) {
            throw new ImportRefusedException("blob " + digest + " has " + size + " bytes, over the limit of " + limits.maxBlobBytes());
        }
        if (staged.blobs.containsKey(digest)) {
            return; // a duplicate entry; the first one was verified
        }
        Optional<BlobInfo> held = local.storage().blobs().stat(digest);
        if (held.isPresent() && held.get().size() == size) {
            staged.blobs.put(digest, size);
            staged.present++;
            progress.advance(1, 0);
            return;
        }
        try {
            // repo null: into the content store only, linked nowhere until the publish pass
            local.ingest(null, digest, size, tar, limits.maxBlobBytes(), n -> { });
        } catch (LocalContent.ContentMismatchException m) {
            throw new ImportRefusedException("the archive is tampered or damaged: " + m.getMessage() + "; nothing was imported", m);
        } catch (IOException io) {
            throw new ImportRefusedException("reading blob " + digest + " from the archive failed: " + io.getMessage(), io);
        }
        staged.blobs.put(digest, size);
        staged.stored++;
        staged.bytes += size;
        progress.advance(1, 0);
    }

    private static byte[] readSmall(TarArchiveInputStream tar, TarArchiveEntry e, int max) throws IOException {
        if (e.getSize() > max) {
            throw new ImportRefusedException(e.getName() + " is larger than " + max + " bytes");
        }
        return tar.readNBytes(max);
    }

    /** Tar names as tools write them ({@code ./blobs/…}, {@code blobs/…}); anything climbing out is refused. */
    private static String normalize(String name) throws ImportRefusedException {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.equals(".")) {
            n = "";
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.startsWith("/") || n.contains("..") || n.contains("\\") || n.length() > 512) {
            throw new ImportRefusedException("unsafe entry name in the archive: " + name);
        }
        return n;
    }

    private void checkLayout(byte[] layout) throws IOException {
        try {
            JsonNode node = json.readTree(layout);
            if (node == null || !OciArchive.LAYOUT_VERSION.equals(node.path("imageLayoutVersion").asText())) {
                throw new ImportRefusedException("oci-layout does not declare imageLayoutVersion " + OciArchive.LAYOUT_VERSION);
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ImportRefusedException("oci-layout is not JSON", e);
        }
    }

    // --- pass 2: plan -----------------------------------------------------------------------------

    private Root walk(OciArchive.Entry entry, Staged staged) throws IOException {
        List<Digest> manifests = new ArrayList<>();
        Map<Digest, String> mediaTypes = new LinkedHashMap<>();
        Set<Digest> blobs = new LinkedHashSet<>();
        ManifestContent top = walk(entry.repository(), entry.digest(), entry.mediaType(), entry.size(), limits.maxDepth(), staged,
                manifests, mediaTypes, blobs);
        return new Root(entry, manifests, mediaTypes, blobs, top.subject() == null ? null : top.subject().digest(),
                top.referrerArtifactType(), top.annotations());
    }

    private ManifestContent walk(RepositoryName repo, Digest digest, String mediaType, long size, int depth, Staged staged,
                                 List<Digest> manifests, Map<Digest, String> mediaTypes, Set<Digest> blobs) throws IOException {
        Long have = staged.blobs.get(digest);
        if (have == null) {
            throw new ImportRefusedException(repo + ": the archive lacks manifest " + digest);
        }
        if (have != size) {
            throw new ImportRefusedException(repo + ": manifest " + digest + " has " + have + " bytes, its descriptor says " + size);
        }
        if (size > 4L * 1024 * 1024) {
            throw new ImportRefusedException(repo + ": manifest " + digest + " is larger than 4 MiB");
        }
        byte[] raw = local.storage().blobs().read(digest, (int) size);
        ManifestContent content;
        try {
            content = local.parse(raw, mediaType);
        } catch (OciException e) {
            throw new ImportRefusedException(repo + ": " + digest + " is not a valid manifest: " + e.getMessage(), e);
        }
        if (content.kind() == ManifestKind.IMAGE) {
            for (Descriptor blob : content.requiredBlobs()) {
                Long blobSize = staged.blobs.get(blob.digest());
                if (blobSize == null) {
                    throw new ImportRefusedException(repo + "@" + digest + " references blob " + blob.digest() + ", which the archive lacks");
                }
                if (blobSize != blob.size()) {
                    throw new ImportRefusedException(repo + "@" + digest + ": blob " + blob.digest() + " has " + blobSize
                            + " bytes, its descriptor says " + blob.size());
                }
                blobs.add(blob.digest());
            }
        } else {
            if (depth <= 0) {
                throw new ImportRefusedException(repo + "@" + digest + " nests indexes deeper than " + limits.maxDepth());
            }
            for (Descriptor child : content.manifests()) {
                walk(repo, child.digest(), child.mediaType(), child.size(), depth - 1, staged, manifests, mediaTypes, blobs);
            }
        }
        if (!mediaTypes.containsKey(digest)) {
            manifests.add(digest);
            mediaTypes.put(digest, mediaType);
        }
        blobs.add(digest);
        return content;
    }

    /** Trust policies over the archive's own content; returns what was left out, or refuses. */
    private List<String> applyPolicies(List<Root> roots, ImportOptions options) throws IOException {
        List<String> skipped = new ArrayList<>();
        if (options.signatures() == ImportOptions.SignatureMode.NONE) {
            return skipped;
        }
        List<String> refusals = new ArrayList<>();
        Set<Digest> dropped = new HashSet<>();
        Map<RepositoryName, List<Root>> byRepo = byRepository(roots);
        for (Root root : roots) {
            OciArchive.Entry e = root.entry();
            if (e.tag() == null || TagFilter.isSidecarTag(e.tag().value()) || !gate.covers(e.repository())) {
                continue;
            }
            Optional<String> refusal = gate.refusal(new ArchiveContent(e.repository(), byRepo.get(e.repository())), e.repository(),
                    e.digest(), null);
            if (refusal.isPresent()) {
                String what = e.repository() + ":" + e.tag() + " (" + e.digest() + "): " + refusal.get();
                refusals.add(what);
                dropped.add(e.digest());
            }
        }
        if (refusals.isEmpty()) {
            return skipped;
        }
        if (options.signatures() == ImportOptions.SignatureMode.POLICY) {
            throw new ImportRefusedException("signatures do not meet the trust policy, nothing was imported: " + String.join("; ", refusals));
        }
        // SKIP_UNSIGNED: leave out the artifacts, their sidecar tags and their referrers (transitively)
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Root root : roots) {
                if (root.subject() != null && dropped.contains(root.subject()) && dropped.add(root.entry().digest())) {
                    grew = true;
                }
            }
        }
        roots.removeIf(root -> {
            Tag tag = root.entry().tag();
            boolean companion = tag != null && dropped.stream().anyMatch(d -> tag.value().startsWith(d.tagForm()));
            return dropped.contains(root.entry().digest()) || companion;
        });
        skipped.addAll(refusals);
        return skipped;
    }

    private static Map<RepositoryName, List<Root>> byRepository(List<Root> roots) {
        Map<RepositoryName, List<Root>> out = new LinkedHashMap<>();
        for (Root r : roots) {
            out.computeIfAbsent(r.entry().repository(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    // --- pass 3: publish --------------------------------------------------------------------------

    private int publish(List<Root> roots, Progress progress, List<String> lines) throws IOException {
        progress.begin("publish", roots.size(), -1);
        int stored = 0;
        try {
            // untagged (referrers) first, then sidecar and referrer-schema tags, then the artifacts' own tags
            List<Root> ordered = new ArrayList<>(roots);
            ordered.sort(Comparator.comparingInt(ArchiveImport::rank));
            for (Root root : ordered) {
                RepositoryName repo = root.entry().repository();
                for (Digest blob : root.blobs()) {
                    if (!root.mediaTypes().containsKey(blob) && !local.storage().links().isLinked(repo, blob)) {
                        local.link(repo, blob);
                    }
                }
                for (Digest m : root.manifests()) {
                    if (local.revision(repo, m).isEmpty() || !local.isComplete(repo, m, limits.maxDepth())) {
                        byte[] raw = local.storage().blobs().read(m, 4 * 1024 * 1024);
                        try {
                            local.putManifest(repo, m, raw, root.mediaTypes().get(m));
                        } catch (OciException e) {
                            throw new IOException("storing " + repo + "@" + m + " failed: " + e.getMessage(), e);
                        }
                        stored++;
                    }
                }
            }
            for (Root root : ordered) {
                if (root.entry().tag() != null) {
                    local.tag(root.entry().repository(), root.entry().tag(), root.entry().digest());
                    if (!TagFilter.isSidecarTag(root.entry().tag().value())) {
                        lines.add("imported " + root.entry().repository() + ":" + root.entry().tag() + " " + root.entry().digest());
                    }
                }
                progress.advance(1, 0);
            }
        } finally {
            progress.end();
        }
        return stored;
    }

    private static int rank(Root root) {
        Tag tag = root.entry().tag();
        if (tag == null) {
            return 0;
        }
        return TagFilter.isSidecarTag(tag.value()) ? 1 : 2;
    }

    /** The signing module's read port over one repository's part of the archive (verified, staged content only). */
    private final class ArchiveContent implements SignatureContent {
        private final RepositoryName repository;
        private final List<Root> roots;
        private final Set<Digest> manifests = new HashSet<>();
        private final Set<Digest> blobs = new HashSet<>();

        ArchiveContent(RepositoryName repository, List<Root> roots) {
            this.repository = repository;
            this.roots = roots;
            for (Root r : roots) {
                manifests.addAll(r.manifests());
                blobs.addAll(r.blobs());
            }
        }

        @Override
        public Optional<byte[]> manifest(RepositoryName repo, Reference reference) throws IOException {
            if (!repo.equals(repository)) {
                return Optional.empty();
            }
            Digest digest = switch (reference) {
                case Digest d -> manifests.contains(d) ? d : null;
                case Tag t -> roots.stream().filter(r -> t.equals(r.entry().tag())).map(r -> r.entry().digest()).findFirst().orElse(null);
            };
            return digest == null ? Optional.empty() : Optional.of(local.storage().blobs().read(digest, 4 * 1024 * 1024));
        }

        @Override
        public List<Descriptor> referrers(RepositoryName repo, Digest subject) {
            if (!repo.equals(repository)) {
                return List.of();
            }
            return roots.stream().filter(r -> subject.equals(r.subject()))
                    .map(r -> new Descriptor(r.entry().mediaType(), r.entry().digest(), r.entry().size(), r.artifactType(), r.annotations(), null))
                    .toList();
        }

        @Override
        public Optional<InputStream> openBlob(RepositoryName repo, Digest digest) {
            if (!repo.equals(repository) || !blobs.contains(digest)) {
                return Optional.empty();
            }
            return Optional.of(local.storage().blobs().open(digest, 0));
        }
    }
}
