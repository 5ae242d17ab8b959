package dev.akua.registry.auth.principal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Function;

/**
 * The parsed content of a file that another process (the CLI) may replace at any time. Every
 * {@link #get()} looks at the file's identity (inode, modification time, size), which costs one
 * {@code stat}; a changed file is read and parsed again. Writers replace the file by rename
 * ({@link AtomicFile}), which gives it a new inode, so even a change within the same second is
 * seen. A missing file parses as empty text. If a changed file cannot be read or parsed, the last
 * good content stays in force and a warning is logged: removing a user or revoking a token never
 * becomes "everything is allowed", and a typo does not lock everybody out.
 */
final class FileSnapshot<T> {
    private static final System.Logger LOG = System.getLogger(FileSnapshot.class.getName());

    private record Loaded<T>(Object identity, T value) {
    }

    private final Path file;
    private final Function<String, T> parser;
    private volatile Loaded<T> loaded;

    /** Loads the file now; a file that exists but does not parse is an error at this point. */
    FileSnapshot(Path file, Function<String, T> parser) {
        this.file = Objects.requireNonNull(file, "file");
        this.parser = Objects.requireNonNull(parser, "parser");
        Object identity = identity();
        this.loaded = new Loaded<>(identity, parser.apply(read()));
    }

    T get() {
        Loaded<T> current = loaded;
        Object identity = identity();
        if (Objects.equals(identity, current.identity)) {
            return current.value;
        }
        synchronized (this) {
            current = loaded;
            if (Objects.equals(identity, current.identity)) {
                return current.value;
            }
            try {
                T value = parser.apply(read());
                loaded = new Loaded<>(identity, value);
                return value;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "keeping the previous content of " + file + ": " + e.getMessage());
                loaded = new Loaded<>(identity, current.value);
                return current.value;
            }
        }
    }

    private Object identity() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private String read() {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
