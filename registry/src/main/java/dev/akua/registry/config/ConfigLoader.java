package dev.akua.registry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layers configuration: embedded defaults, then an optional YAML file, then environment variables
 * ({@link ConfigKeys#envName}). Unknown keys in the file or in {@code AKUA_REGISTRY_*} variables
 * are errors.
 */
public final class ConfigLoader {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public RegistryConfig load(Path file, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>(ConfigKeys.DEFAULTS);
        Map<String, JsonNode> sections = new LinkedHashMap<>();
        if (file != null) {
            values.putAll(readFile(file, sections));
        }
        Map<String, String> byEnv = new LinkedHashMap<>();
        for (String key : ConfigKeys.DEFAULTS.keySet()) {
            byEnv.put(ConfigKeys.envName(key), key);
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (!e.getKey().startsWith("AKUA_REGISTRY_")) {
                continue;
            }
            String key = byEnv.get(e.getKey());
            if (key == null) {
                if (isReservedEnv(e.getKey())) {
                    continue;
                }
                throw new ConfigException("unknown configuration variable " + e.getKey());
            }
            values.put(key, e.getValue());
        }
        return RegistryConfig.from(values, sections);
    }

    /** Variables under the prefix that are not configuration keys (e.g. secrets named by a key). */
    private static boolean isReservedEnv(String name) {
        // AKUA_REGISTRY_JAVA_OPTS is read by bin/akua-registry, not by the registry
        return name.startsWith("AKUA_REGISTRY_SECRET_") || name.equals("AKUA_REGISTRY_JAVA_OPTS");
    }

    private Map<String, String> readFile(Path file, Map<String, JsonNode> sections) {
        JsonNode root;
        try {
            root = yaml.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException("configuration file " + file + " must be a YAML mapping");
        }
        flatten("", root, out, sections, file);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Map<String, JsonNode> sections, Path file) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (ConfigKeys.STRUCTURED.containsKey(key)) {
                sections.put(key, value);
            } else if (value.isObject()) {
                flatten(key, value, out, sections, file);
            } else if (!ConfigKeys.DEFAULTS.containsKey(key)) {
                throw new ConfigException("unknown configuration key '" + key + "' in " + file);
            } else if (value.isContainerNode()) {
                throw new ConfigException("configuration key '" + key + "' in " + file + " must be a single value");
            } else {
                out.put(key, value.isNull() ? "" : value.asText());
            }
        }
    }
}
