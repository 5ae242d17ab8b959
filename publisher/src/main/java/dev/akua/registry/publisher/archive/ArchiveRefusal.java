package dev.akua.registry.publisher.archive;

/**
 * An archive a client sent is not acceptable. The message says exactly what is wrong and names the
 * entry when there is one; {@link #tooLarge()} marks refusals for passing a size or count limit.
 */
public final class ArchiveRefusal extends Exception {
    private final boolean tooLarge;

    public ArchiveRefusal(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    public ArchiveRefusal(String message, Throwable cause) {
        super(message, cause);
        this.tooLarge = false;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
