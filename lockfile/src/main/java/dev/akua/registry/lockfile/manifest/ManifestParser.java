package dev.akua.registry.lockfile.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.akua.registry.lockfile.error.LockException;
import dev.akua.registry.lockfile.lock.TomlTrees;
import dev.akua.registry.lockfile.lock.Utf8Order;

/**
 * Reads akua.toml with akua 0.8.5's rules ({@code mod_file.rs}, wire contract §4.1): required
 * {@code [package]} name/version/edition, edition starting with {@code akua.dev/}, a package name
 * of ASCII letters, digits, {@code _} and {@code -} not starting with {@code -}; each dependency has
 * exactly one source, an oci one a version, a git one a tag or rev, a path one no pin. Unknown keys
 * are ignored as akua ignores them. Added: the Helm-repository form {@code { repo, chart, version }}
 * of the package-format seed; a git {@code rev} must be 40 hex digits (akua requires a full rev).
 */
public final class ManifestParser {
    private static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    private static final Pattern FULL_REV = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_DEPENDENCIES = 1000;

    private final TomlTrees toml;

    public ManifestParser(TomlTrees toml) {
        this.toml = toml;
    }

    public AkuaManifest parse(String text) throws LockException {
        ObjectNode root;
        try {
            root = toml.read(text);
        } catch (IllegalArgumentException e) {
            throw invalid(null, "akua.toml is not valid TOML: " + e.getMessage());
        }
        JsonNode pkg = root.get("package");
        if (pkg == null || !pkg.isObject()) {
            throw invalid(null, "akua.toml has no [package] table");
        }
        String name = string(pkg, "name", "[package]", true);
        String version = string(pkg, "version", "[package]", true);
        String edition = string(pkg, "edition", "[package]", true);
        if (!edition.startsWith("akua.dev/")) {
            throw invalid(null, "[package].edition must start with `akua.dev/`, got `" + edition + "`");
        }
        if (!PACKAGE_NAME.matcher(name).matches()) {
            throw invalid(null, "[package].name must be ASCII letters, digits, `_` or `-` and not start with `-`, got `" + name + "`");
        }
        boolean strict = true;
        JsonNode strictNode = pkg.get("strict_signing");
        if (strictNode != null) {
            if (!strictNode.isBoolean()) {
                throw invalid(null, "[package].strict_signing must be a boolean");
            }
            strict = strictNode.booleanValue();
        }
        String publicKey = null;
        JsonNode signing = root.get("signing");
        if (signing != null) {
            if (!signing.isObject()) {
                throw invalid(null, "[signing] must be a table");
            }
            publicKey = string(signing, "cosign_public_key", "[signing]", false);
        }
        List<Dependency> dependencies = new ArrayList<>();
        JsonNode deps = root.get("dependencies");
        if (deps != null) {
            if (!deps.isObject()) {
                throw invalid(null, "[dependencies] must be a table");
            }
            if (deps.size() > MAX_DEPENDENCIES) {
                throw invalid(null, "more than " + MAX_DEPENDENCIES + " dependencies");
            }
            for (Map.Entry<String, JsonNode> field : deps.properties()) {
                dependencies.add(dependency(field.getKey(), field.getValue()));
            }
        }
        dependencies.sort((a, b) -> Utf8Order.INSTANCE.compare(a.name(), b.name()));
        return new AkuaManifest(name, version, edition, strict, publicKey, dependencies);
    }

    private static Dependency dependency(String name, JsonNode node) throws LockException {
        if (!node.isObject()) {
            throw invalid(name, "must be a table such as { oci = \"…\", version = \"…\" }");
        }
        if (name.isEmpty() || name.length() > 128 || name.chars().anyMatch(c -> c < 0x21 || c == '@' || c == 0x7f)) {
            throw invalid(name, "a dependency name must be 1-128 visible characters without `@`");
        }
        String where = "dependency `" + name + "`";
        String oci = string(node, "oci", where, false);
        String git = string(node, "git", where, false);
        String path = string(node, "path", where, false);
        String repo = string(node, "repo", where, false);
        String version = string(node, "version", where, false);
        String tag = string(node, "tag", where, false);
        String rev = string(node, "rev", where, false);
        String chart = string(node, "chart", where, false);
        String replace = null;
        JsonNode replaceNode = node.get("replace");
        if (replaceNode != null) {
            if (!replaceNode.isObject()) {
                throw invalid(name, "`replace` must be a table { path = \"…\" }");
            }
            replace = string(replaceNode, "path", where + " replace", true);
        }
        int sources = (oci != null ? 1 : 0) + (git != null ? 1 : 0) + (path != null ? 1 : 0) + (repo != null ? 1 : 0);
        if (sources != 1) {
            throw invalid(name, "exactly one of oci / git / path / repo must be set, got " + sources);
        }
        if (oci != null) {
            if (version == null) {
                throw invalid(name, "oci dep requires a version");
            }
            if (!oci.startsWith("oci://") || oci.indexOf('/', "oci://".length()) < 0) {
                throw invalid(name, "oci ref must look like oci://host/repository, got `" + oci + "`");
            }
            return new Dependency.Oci(name, oci, version, replace);
        }
        if (git != null) {
            if (tag == null && rev == null) {
                throw invalid(name, "git dep requires either tag or rev");
            }
            if (tag == null && !FULL_REV.matcher(rev).matches()) {
                throw invalid(name, "git rev must be the full 40-hex commit id, got `" + rev + "`");
            }
            return new Dependency.Git(name, git, tag, rev, replace);
        }
        if (path != null) {
            if (version != null || tag != null || rev != null) {
                throw invalid(name, "path dep must not set version / tag / rev");
            }
            if (replace != null) {
                throw invalid(name, "replace applies to oci, git and repo deps only");
            }
            return new Dependency.Path(name, path);
        }
        if (chart == null || version == null) {
            throw invalid(name, "a Helm repository dep needs repo, chart and version");
        }
        if (!repo.startsWith("https://") && !repo.startsWith("http://")) {
            throw invalid(name, "repo must be an http(s) URL of a Helm repository, got `" + repo + "`");
        }
        if (chart.isEmpty() || chart.contains("/") || chart.contains("#")) {
            throw invalid(name, "chart must be a chart name from the repository index, got `" + chart + "`");
        }
        return new Dependency.HelmRepo(name, repo, chart, version, replace);
    }

    private static String string(JsonNode node, String field, String where, boolean required) throws LockException {
        JsonNode value = node.get(field);
        if (value == null) {
            if (required) {
                throw invalid(null, where + " has no `" + field + "`");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(null, where + ": `" + field + "` must be a string");
        }
        return value.textValue();
    }

    private static LockException invalid(String dependency, String message) {
        return new LockException(LockException.Reason.MANIFEST_INVALID, dependency, message);
    }
}
