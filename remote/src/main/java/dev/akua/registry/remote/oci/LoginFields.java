package dev.akua.registry.remote.oci;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * The credential fields of a configuration entry that names a registry (a mirror upstream, a lock
 * registry): {@code username} with {@code passwordEnv} or {@code passwordFile}, or {@code tokenEnv} or
 * {@code tokenFile} alone, or none (anonymous). Secrets never sit in the configuration file: an
 * {@code …Env} field names an environment variable, a {@code …File} field a file (at most 64 KiB,
 * surrounding whitespace removed). Errors are {@link IllegalArgumentException}s naming the entry.
 */
public final class LoginFields {
    /** The field names this reads, for the caller's list of known fields. */
    public static final Set<String> NAMES = Set.of("username", "passwordEnv", "passwordFile", "tokenEnv", "tokenFile");
    private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

    private LoginFields() {
    }

    /**
     * @param at          where the entry is, for messages (e.g. {@code mirror.upstreams[0]})
     * @param environment how {@code …Env} variables are looked up (the process environment in production)
     * @param baseDir     what relative {@code …File} paths are resolved against
     */
    public static RegistryLogin read(JsonNode entry, String at, Function<String, String> environment, Path baseDir) {
        String username = text(entry, "username", at);
        String password = secret(entry, "password", at, environment, baseDir);
        String token = secret(entry, "token", at, environment, baseDir);
        if (username != null) {
            if (password == null || token != null) {
                throw new IllegalArgumentException(at + ": a username needs passwordEnv or passwordFile (and no token)");
            }
            return RegistryLogin.basic(username, password);
        }
        if (password != null) {
            throw new IllegalArgumentException(at + ": a password needs a username");
        }
        return token != null ? RegistryLogin.token(token) : RegistryLogin.anonymous();
    }

    private static String secret(JsonNode entry, String kind, String at, Function<String, String> environment, Path baseDir) {
        String env = text(entry, kind + "Env", at);
        String file = text(entry, kind + "File", at);
        if (env != null && file != null) {
            throw new IllegalArgumentException(at + ": give " + kind + "Env or " + kind + "File, not both");
        }
        if (env != null) {
            String value = environment.apply(env);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(at + "." + kind + "Env: the environment variable " + env + " is not set");
            }
            return value;
        }
        if (file != null) {
            Path path = baseDir.resolve(file);
            try {
                if (Files.size(path) > MAX_SECRET_FILE_BYTES) {
                    throw new IllegalArgumentException(at + "." + kind + "File: " + path + " is larger than 64 KiB");
                }
                return Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(at + "." + kind + "File: cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static String text(JsonNode entry, String field, String at) {
        JsonNode v = entry.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 4096) {
            throw new IllegalArgumentException(at + "." + field + " must be a non-empty string");
        }
        return v.asText().strip();
    }
}
