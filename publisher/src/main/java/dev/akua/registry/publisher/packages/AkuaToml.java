package dev.akua.registry.publisher.packages;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.akua.registry.publisher.PackageMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks an {@code akua.toml} with akua 0.8.5's rules (wire contract §4.1,
 * {@code mod_file.rs}): a {@code [package]} table with string {@code name} (ASCII letters, digits,
 * {@code _}, {@code -}, not starting with {@code -}), {@code version} and {@code edition} (starting
 * with {@code akua.dev/}); each dependency exactly one source ({@code oci}, {@code git}, {@code path},
 * or the seed's Helm-repository form {@code repo} + {@code chart}), an oci one {@code oci://host/repo}
 * with a {@code version}, a git one a {@code tag} or full 40-hex {@code rev}, a path one no pin, and
 * {@code replace} only on non-path dependencies. Unknown keys are ignored, as serde ignores them.
 * Parsing is Jackson TOML with bounded document, string and nesting sizes.
 */
public final class AkuaToml {
    private static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    private static final Pattern FULL_REV = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_DEPENDENCIES = 1000;

    private final TomlMapper mapper;
    private final int maxChars;

    public AkuaToml(int maxChars) {
        this.maxChars = maxChars;
        this.mapper = new TomlMapper(TomlFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(maxChars)
                        .maxDocumentLength(maxChars)
                        .build())
                .build());
    }

    /** The metadata, or an {@link InvalidAkuaToml} saying what is wrong. */
    public PackageMetadata read(String text) throws InvalidAkuaToml {
        if (text.length() > maxChars) {
            throw new InvalidAkuaToml("akua.toml is larger than " + maxChars + " characters");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new InvalidAkuaToml("akua.toml is not valid TOML: " + e.getOriginalMessage() + where);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidAkuaToml("akua.toml has no [package] table");
        }
        JsonNode pkg = root.get("package");
        if (pkg == null || !pkg.isObject()) {
            throw new InvalidAkuaToml("akua.toml has no [package] table");
        }
        String name = string(pkg, "name", "[package]", true);
        String version = string(pkg, "version", "[package]", true);
        String edition = string(pkg, "edition", "[package]", true);
        if (!PACKAGE_NAME.matcher(name).matches() || name.length() > 128) {
            throw new InvalidAkuaToml("[package].name '" + clip(name) + "' must be ASCII letters, digits, '_' or '-', not starting with '-'");
        }
        if (version.isBlank() || version.length() > 128) {
            throw new InvalidAkuaToml("[package].version must be a non-empty string of at most 128 characters");
        }
        if (!edition.startsWith("akua.dev/")) {
            throw new InvalidAkuaToml("[package].edition must start with 'akua.dev/', not '" + clip(edition) + "'");
        }
        JsonNode strict = pkg.get("strict_signing");
        if (strict != null && !strict.isBoolean()) {
            throw new InvalidAkuaToml("[package].strict_signing must be true or false");
        }
        JsonNode signing = root.get("signing");
        if (signing != null && !signing.isObject()) {
            throw new InvalidAkuaToml("[signing] must be a table");
        }
        List<PackageMetadata.Dependency> dependencies = new ArrayList<>();
        JsonNode deps = root.get("dependencies");
        if (deps != null) {
            if (!deps.isObject()) {
                throw new InvalidAkuaToml("[dependencies] must be a table");
            }
            if (deps.size() > MAX_DEPENDENCIES) {
                throw new InvalidAkuaToml("akua.toml declares more than " + MAX_DEPENDENCIES + " dependencies");
            }
            for (Map.Entry<String, JsonNode> e : deps.properties()) {
                dependencies.add(dependency(e.getKey(), e.getValue()));
            }
        }
        dependencies.sort((a, b) -> a.name().compareTo(b.name()));
        return new PackageMetadata(name, version, edition, dependencies);
    }

    private static PackageMetadata.Dependency dependency(String name, JsonNode node) throws InvalidAkuaToml {
        String at = "[dependencies]." + clip(name);
        if (name.isEmpty() || name.length() > 128 || name.chars().anyMatch(c -> c < 0x21 || c == 0x7f || c == '@')) {
            throw new InvalidAkuaToml(at + ": a dependency name must be 1-128 visible characters without '@'");
        }
        if (!node.isObject()) {
            throw new InvalidAkuaToml(at + " must be a table such as { oci = \"oci://host/repo\", version = \"1.0.0\" }");
        }
        String oci = string(node, "oci", at, false);
        String git = string(node, "git", at, false);
        String path = string(node, "path", at, false);
        String repo = string(node, "repo", at, false);
        String version = string(node, "version", at, false);
        String tag = string(node, "tag", at, false);
        String rev = string(node, "rev", at, false);
        String chart = string(node, "chart", at, false);
        JsonNode replace = node.get("replace");
        if (replace != null) {
            if (!replace.isObject()) {
                throw new InvalidAkuaToml(at + ".replace must be a table { path = \"…\" }");
            }
            string(replace, "path", at + ".replace", true);
        }
        int sources = (oci != null ? 1 : 0) + (git != null ? 1 : 0) + (path != null ? 1 : 0) + (repo != null ? 1 : 0);
        if (sources != 1) {
            throw new InvalidAkuaToml(at + ": exactly one of oci, git, path or repo must be set, found " + sources);
        }
        if (oci != null) {
            if (!oci.startsWith("oci://") || oci.indexOf('/', "oci://".length()) < 0) {
                throw new InvalidAkuaToml(at + ": oci must look like oci://host/repository, not '" + clip(oci) + "'");
            }
            if (version == null || version.isBlank()) {
                throw new InvalidAkuaToml(at + ": an oci dependency needs a version");
            }
            return new PackageMetadata.Dependency(name, "oci", oci, version, null);
        }
        if (git != null) {
            if (tag == null && rev == null) {
                throw new InvalidAkuaToml(at + ": a git dependency needs a tag or a rev");
            }
            if (tag == null && !FULL_REV.matcher(rev).matches()) {
                throw new InvalidAkuaToml(at + ": rev must be a full 40-hex commit id, not '" + clip(rev) + "'");
            }
            return new PackageMetadata.Dependency(name, "git", git, tag != null ? tag : rev, null);
        }
        if (path != null) {
            if (version != null || tag != null || rev != null) {
                throw new InvalidAkuaToml(at + ": a path dependency must not set version, tag or rev");
            }
            if (replace != null) {
                throw new InvalidAkuaToml(at + ": replace applies to oci, git and repo dependencies only");
            }
            return new PackageMetadata.Dependency(name, "path", path, null, null);
        }
        if (chart == null || chart.isEmpty() || version == null || version.isBlank()) {
            throw new InvalidAkuaToml(at + ": a Helm repository dependency needs repo, chart and version");
        }
        if (!repo.startsWith("https://") && !repo.startsWith("http://")) {
            throw new InvalidAkuaToml(at + ": repo must be the http(s) URL of a Helm repository, not '" + clip(repo) + "'");
        }
        return new PackageMetadata.Dependency(name, "repo", repo, version, chart);
    }

    private static String string(JsonNode node, String field, String at, boolean required) throws InvalidAkuaToml {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidAkuaToml(at + " has no '" + field + "'");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidAkuaToml(at + "." + field + " must be a string");
        }
        return v.textValue();
    }

    private static String clip(String s) {
        String p = s.replaceAll("\\p{Cntrl}", "?");
        return p.length() > 80 ? p.substring(0, 80) + "…" : p;
    }

    /** akua.toml is not valid; the message names the table and field. */
    public static final class InvalidAkuaToml extends Exception {
        public InvalidAkuaToml(String message) {
            super(message);
        }
    }
}
