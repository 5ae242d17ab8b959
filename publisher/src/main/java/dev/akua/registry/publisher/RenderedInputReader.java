package dev.akua.registry.publisher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.DigestAlgorithm;
import dev.akua.registry.publisher.archive.ArchiveRefusal;
import dev.akua.registry.publisher.archive.TarGzReader;
import dev.akua.registry.publisher.yaml.BoundedYaml;
import dev.akua.registry.publisher.yaml.KubernetesResource;
import dev.akua.registry.publisher.yaml.YamlRefusal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tar.gz of akua's render output (seed §5: {@code akua render --out ./deploy} writes every
 * resource as its own {@code <NNN>-<kind>-<name>.yaml}): the files at the archive root, or all in one
 * top-level directory ({@code tar czf deploy.tgz deploy}); nothing else. Each file must be UTF-8
 * holding exactly one Kubernetes-shaped YAML document, read with {@link BoundedYaml}.
 */
final class RenderedInputReader {
    /** {@code NNN-<kind>-<name>.yaml}; kind and name as akua writes them (lowercase kind, resource name). */
    static final Pattern FILE_NAME = Pattern.compile("([0-9]{1,9})-[A-Za-z0-9][A-Za-z0-9._:-]{0,200}\\.ya?ml");

    private final PublishLimits limits;
    private final TarGzReader tar;
    private final BoundedYaml yaml;

    RenderedInputReader(PublishLimits limits) {
        this.limits = limits;
        this.tar = new TarGzReader(limits.archive());
        this.yaml = new BoundedYaml((int) Math.min(Integer.MAX_VALUE, limits.archive().maxFileBytes()), limits.maxYamlDepth(), 1);
    }

    RenderedInput read(InputStream archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        TarGzReader.Summary summary;
        try {
            summary = tar.read(archive, (name, size, content) -> {
                if (files.size() == limits.maxManifests()) {
                    throw new ArchiveRefusal("the archive holds more than " + limits.maxManifests() + " manifest files", true);
                }
                files.put(name, content.readNBytes((int) size));
            });
        } catch (ArchiveRefusal e) {
            throw new PublishRefusal(e.tooLarge() ? PublishRefusal.Kind.TOO_LARGE : PublishRefusal.Kind.INVALID_ARCHIVE,
                    e.getMessage(), null);
        }
        if (files.isEmpty()) {
            throw new PublishRefusal(PublishRefusal.Kind.INVALID_ARCHIVE, "the archive holds no manifest files", null);
        }
        Map<String, byte[]> flat = flatten(files);
        List<RenderedManifest> manifests = new ArrayList<>(flat.size());
        for (Map.Entry<String, byte[]> f : flat.entrySet()) {
            manifests.add(manifest(f.getKey(), f.getValue()));
        }
        manifests.sort(Comparator.comparing((RenderedManifest m) -> position(m.fileName())).thenComparing(RenderedManifest::fileName));
        return new RenderedInput(manifests, summary.digest(), summary.size(), treeDigest(flat));
    }

    /** Files at the root, or all in one top-level directory, whose name is then dropped. */
    private static Map<String, byte[]> flatten(Map<String, byte[]> files) {
        String top = null;
        boolean atRoot = false;
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                atRoot = true;
            } else if (name.indexOf('/', slash + 1) >= 0) {
                throw layout(name);
            } else if (top == null) {
                top = name.substring(0, slash);
            } else if (!top.equals(name.substring(0, slash))) {
                throw layout(name);
            }
            if (atRoot && top != null) {
                throw layout(name);
            }
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = top == null ? e.getKey() : e.getKey().substring(top.length() + 1);
            if (!FILE_NAME.matcher(name).matches()) {
                throw new PublishRefusal(PublishRefusal.Kind.INVALID_ARCHIVE, "file '" + e.getKey()
                        + "' is not a rendered manifest: names must look like NNN-<kind>-<name>.yaml", e.getKey());
            }
            out.put(name, e.getValue());
        }
        return out;
    }

    private static PublishRefusal layout(String name) {
        return new PublishRefusal(PublishRefusal.Kind.INVALID_ARCHIVE, "file '" + name
                + "' is out of place: the manifests must all be at the archive root or all in one top-level directory", name);
    }

    private RenderedManifest manifest(String name, byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new PublishRefusal(PublishRefusal.Kind.INVALID_MANIFEST, name + ": not UTF-8 text", name);
        }
        List<JsonNode> docs;
        try {
            docs = yaml.documents(text);
        } catch (YamlRefusal e) {
            String message = e.getMessage().startsWith("more than 1 YAML")
                    ? "holds more than one YAML document; the render output has one resource a file"
                    : e.getMessage();
            throw new PublishRefusal(PublishRefusal.Kind.INVALID_MANIFEST, name + ": " + message, name);
        }
        if (docs.isEmpty()) {
            throw new PublishRefusal(PublishRefusal.Kind.INVALID_MANIFEST, name + ": holds no YAML document", name);
        }
        try {
            return new RenderedManifest(name, content, KubernetesResource.of(docs.getFirst()));
        } catch (YamlRefusal e) {
            throw new PublishRefusal(PublishRefusal.Kind.INVALID_MANIFEST, name + ": " + e.getMessage(), name);
        }
    }

    private static BigInteger position(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        return m.matches() ? new BigInteger(m.group(1)) : BigInteger.ZERO;
    }

    /** akua's {@code hash_dir} (wire contract §4.3) over a flat directory: names in byte order. */
    static Digest treeDigest(Map<String, byte[]> files) {
        MessageDigest sha = DigestAlgorithm.SHA256.newMessageDigest();
        files.keySet().stream()
                .sorted((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)))
                .forEach(name -> {
                    sha.update(name.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(files.get(name));
                    sha.update((byte) '\n');
                });
        return Digest.fromHash(DigestAlgorithm.SHA256, sha);
    }
}
