package dev.akua.registry.auth.principal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Edits an htpasswd file for the CLI: each change is a locked read-modify-write replaced by
 * rename ({@link AtomicFile}); lines it does not touch (comments, other users, entries written by
 * {@code htpasswd}) stay as they were.
 */
public final class UserFileEditor {
    /** What {@link #put} did. */
    public enum PutResult { ADDED, REPLACED, EXISTS }

    private final Path file;

    public UserFileEditor(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Adds the user, or replaces its hash if {@code replace}; leaves the file alone on {@link PutResult#EXISTS}. */
    public PutResult put(String user, String bcryptHash, boolean replace) {
        if (!Passwords.isUsableBcrypt(bcryptHash)) {
            throw new IllegalArgumentException("not a usable bcrypt hash");
        }
        PutResult[] result = new PutResult[1];
        AtomicFile.update(file, text -> {
            Htpasswd current = Htpasswd.parse(text);
            if (current.contains(user) && !replace) {
                result[0] = PutResult.EXISTS;
                return text;
            }
            result[0] = current.contains(user) ? PutResult.REPLACED : PutResult.ADDED;
            return current.withUser(user, bcryptHash).format();
        });
        return result[0];
    }

    /** Removes every entry of the user; false if there was none. */
    public boolean remove(String user) {
        boolean[] found = new boolean[1];
        AtomicFile.update(file, text -> {
            Htpasswd current = Htpasswd.parse(text);
            found[0] = current.contains(user);
            return found[0] ? current.without(user).format() : text;
        });
        return found[0];
    }

    public List<String> users() {
        return read().users();
    }

    /** Entries that cannot log in or were ignored. */
    public List<String> problems() {
        return read().problems();
    }

    private Htpasswd read() {
        try {
            return Htpasswd.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Htpasswd.parse("");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
