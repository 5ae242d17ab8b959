package dev.akua.registry.publisher;

/**
 * A pushed akua package is not acceptable. The message says exactly what is wrong (the entry, the
 * field, the limit); {@link #tooLarge()} marks refusals for passing a limit.
 */
public final class PackageRefusal extends RuntimeException {
    private final boolean tooLarge;

    public PackageRefusal(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
