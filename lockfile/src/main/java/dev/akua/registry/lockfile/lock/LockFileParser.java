package dev.akua.registry.lockfile.lock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.akua.registry.lockfile.error.LockException;

/**
 * Reads any akua.lock: machine-written or hand-aligned, comments anywhere. Applies akua 0.8.5's
 * checks ({@code AkuaLock::validate}, wire contract §4.2): {@code version = 1}; entries
 * non-decreasing by name; no (name, version) twice in a row; digests start with {@code sha256:} or
 * {@code git:}. Unlike akua, fields it does not know are kept ({@link LockedPackage#extra()}).
 */
public final class LockFileParser {
    private static final Set<String> KNOWN_TOP = Set.of("version", "package");
    private static final Set<String> KNOWN_ENTRY = Set.of("name", "version", "source", "digest", "signature",
            "dependencies", "attestation", "replaced", "yanked", "kyverno_source_digest", "converter_version");

    private final TomlTrees toml;

    public LockFileParser(TomlTrees toml) {
        this.toml = toml;
    }

    public LockFile parse(String text) throws LockException {
        ObjectNode root;
        try {
            root = toml.read(text);
        } catch (IllegalArgumentException e) {
            throw invalid("akua.lock is not valid TOML: " + e.getMessage());
        }
        JsonNode versionNode = root.get("version");
        if (versionNode == null) {
            throw invalid("akua.lock has no `version`");
        }
        if (!versionNode.isIntegralNumber()) {
            throw invalid("akua.lock `version` must be an integer");
        }
        if (!versionNode.canConvertToInt() || versionNode.intValue() != LockFile.CURRENT_VERSION) {
            throw invalid("unsupported lockfile version " + versionNode.asText() + "; this registry understands version "
                    + LockFile.CURRENT_VERSION);
        }
        List<LockedPackage> packages = new ArrayList<>();
        JsonNode list = root.get("package");
        if (list != null) {
            if (!list.isArray()) {
                throw invalid("akua.lock `package` must be an array of tables ([[package]])");
            }
            int index = 0;
            for (JsonNode entry : list) {
                packages.add(entry(entry, index++));
            }
        }
        validate(packages);
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!KNOWN_TOP.contains(field.getKey())) {
                extra.put(field.getKey(), TomlTrees.toJava(field.getValue()));
            }
        }
        return new LockFile(LockFile.CURRENT_VERSION, packages, extra);
    }

    private static LockedPackage entry(JsonNode node, int index) throws LockException {
        String where = "[[package]] #" + (index + 1);
        if (!node.isObject()) {
            throw invalid(where + " is not a table");
        }
        String name = requiredString(node, "name", where);
        where = "package `" + name + "`";
        String version = requiredString(node, "version", where);
        String source = requiredString(node, "source", where);
        String digest = requiredString(node, "digest", where);
        List<String> dependencies = new ArrayList<>();
        JsonNode deps = node.get("dependencies");
        if (deps != null) {
            if (!deps.isArray()) {
                throw invalid(where + ": `dependencies` must be an array of strings");
            }
            for (JsonNode d : deps) {
                if (!d.isTextual()) {
                    throw invalid(where + ": `dependencies` must be an array of strings");
                }
                dependencies.add(d.textValue());
            }
        }
        String replacedPath = null;
        JsonNode replaced = node.get("replaced");
        if (replaced != null) {
            if (!replaced.isObject() || replaced.get("path") == null || !replaced.get("path").isTextual()) {
                throw invalid(where + ": `replaced` must be a table with a string `path`");
            }
            replacedPath = replaced.get("path").textValue();
        }
        Boolean yanked = null;
        JsonNode yankedNode = node.get("yanked");
        if (yankedNode != null) {
            if (!yankedNode.isBoolean()) {
                throw invalid(where + ": `yanked` must be a boolean");
            }
            yanked = yankedNode.booleanValue();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!KNOWN_ENTRY.contains(field.getKey())) {
                extra.put(field.getKey(), TomlTrees.toJava(field.getValue()));
            }
        }
        return new LockedPackage(name, version, source, digest,
                optionalString(node, "signature", where), dependencies,
                optionalString(node, "attestation", where), replacedPath, yanked,
                optionalString(node, "kyverno_source_digest", where),
                optionalString(node, "converter_version", where), extra);
    }

    private static void validate(List<LockedPackage> packages) throws LockException {
        for (int i = 1; i < packages.size(); i++) {
            LockedPackage a = packages.get(i - 1);
            LockedPackage b = packages.get(i);
            if (Utf8Order.INSTANCE.compare(b.name(), a.name()) < 0) {
                throw invalid("package entries must be alphabetical by name; `" + b.name() + "` comes after `" + a.name() + "`");
            }
            if (a.name().equals(b.name()) && a.version().equals(b.version())) {
                throw invalid("package `" + a.name() + "` appears more than once at version " + a.version());
            }
        }
        for (LockedPackage p : packages) {
            if (!p.digest().startsWith("sha256:") && !p.digest().startsWith("git:")) {
                throw invalid("package `" + p.name() + "`: digest must start with `sha256:` or `git:`");
            }
        }
    }

    private static String requiredString(JsonNode node, String field, String where) throws LockException {
        JsonNode value = node.get(field);
        if (value == null) {
            throw invalid(where + " has no `" + field + "`");
        }
        if (!value.isTextual()) {
            throw invalid(where + ": `" + field + "` must be a string");
        }
        return value.textValue();
    }

    private static String optionalString(JsonNode node, String field, String where) throws LockException {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(where + ": `" + field + "` must be a string");
        }
        return value.textValue();
    }

    private static LockException invalid(String message) {
        return new LockException(LockException.Reason.LOCK_INVALID, null, message);
    }
}
