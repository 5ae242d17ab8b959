package dev.akua.registry.publisher;

import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.Tag;
import dev.akua.registry.publisher.archive.ArchiveLimits;
import dev.akua.registry.publisher.archive.ArchiveRefusal;
import dev.akua.registry.publisher.archive.TarGzReader;
import dev.akua.registry.publisher.packages.AkuaToml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks an akua package layer ({@code application/vnd.akua.package.content.v1.tar+gzip}, wire
 * contract §2.1-2.2) before the manifest that references it is accepted: a gzip tar read with the
 * hostile-input rules and limits of {@link TarGzReader} (no absolute, {@code ..}, link or device
 * entries; entry count, per-file and total unpacked size capped while reading), {@code akua.toml}
 * at the archive root and valid ({@link AkuaToml}), and, as the repository's {@link PackageRules}
 * ask, its name and version consistent with the repository and tag.
 */
public final class PackageValidator {
    public static final String AKUA_TOML = "akua.toml";

    private final TarGzReader reader;
    private final AkuaToml toml;
    private final int maxTomlBytes;

    /**
     * @param limits       archive limits ({@code maxCompressedBytes} bounds the layer as stored)
     * @param maxTomlBytes largest akua.toml read
     */
    public PackageValidator(ArchiveLimits limits, int maxTomlBytes) {
        this.reader = new TarGzReader(limits);
        this.toml = new AkuaToml(maxTomlBytes);
        this.maxTomlBytes = maxTomlBytes;
    }

    /**
     * @param layer      the layer's bytes (the caller checks its digest separately or trusts the store)
     * @param repository the repository pushed to
     * @param tag        the tag pushed to, or null for a push by digest
     * @throws PackageRefusal with the exact reason
     * @throws IOException    when reading the layer fails
     */
    public PackageMetadata validate(InputStream layer, RepositoryName repository, Tag tag, PackageRules rules) throws IOException {
        byte[][] found = new byte[1][];
        try {
            reader.read(layer, (name, size, content) -> {
                if (name.equals(AKUA_TOML)) {
                    if (size > maxTomlBytes) {
                        throw new ArchiveRefusal("akua.toml has " + size + " bytes, more than the limit of " + maxTomlBytes, true);
                    }
                    found[0] = content.readNBytes((int) size);
                }
            });
        } catch (ArchiveRefusal e) {
            throw new PackageRefusal("akua package rejected: " + e.getMessage(), e.tooLarge());
        }
        if (found[0] == null) {
            throw new PackageRefusal("akua package rejected: there is no akua.toml at the root of the package archive", false);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(found[0])).toString();
        } catch (CharacterCodingException e) {
            throw new PackageRefusal("akua package rejected: akua.toml is not UTF-8 text", false);
        }
        PackageMetadata meta;
        try {
            meta = toml.read(text);
        } catch (AkuaToml.InvalidAkuaToml e) {
            throw new PackageRefusal("akua package rejected: " + e.getMessage(), false);
        }
        if (rules.nameMatchesRepository()) {
            String last = repository.value().substring(repository.value().lastIndexOf('/') + 1);
            if (!meta.name().equals(last)) {
                throw new PackageRefusal("akua package rejected: akua.toml names the package '" + meta.name()
                        + "' but it is pushed to repository " + repository + ", whose last component is '" + last + "'", false);
            }
        }
        if (rules.versionMatchesTag() && tag != null && !meta.version().equals(tag.value())) {
            throw new PackageRefusal("akua package rejected: akua.toml says version '" + meta.version()
                    + "' but it is pushed to tag '" + tag.value() + "'", false);
        }
        return meta;
    }
}
