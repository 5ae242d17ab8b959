package dev.akua.registry.publisher.yaml;

/** A YAML text is not acceptable; the message says why (alias, nesting, size, syntax). */
public final class YamlRefusal extends Exception {
    public YamlRefusal(String message) {
        super(message);
    }
}
