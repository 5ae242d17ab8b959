package dev.akua.registry.auth.cli;

import dev.akua.registry.auth.principal.Passwords;
import dev.akua.registry.auth.principal.UserFileEditor;

import java.io.UncheckedIOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code user add|remove|list}: edits the htpasswd file the server reads (the server sees the
 * change on its next login check). New entries are bcrypt {@code $2y$}, as {@code htpasswd -B}
 * writes, so the file stays usable with Apache's tools and Distribution's htpasswd auth. The
 * caller reads the password (from a terminal without echo, or from stdin) and passes it in.
 */
public final class UserCommands {
    /** Names this CLI creates; the file may hold others, written by {@code htpasswd}. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Path usersFile;
    private final UserFileEditor editor;
    private final int bcryptCost;
    private final Passwords passwords;

    /**
     * @param usersFile  the htpasswd file ({@code auth.usersFile})
     * @param bcryptCost cost of new hashes ({@code auth.bcryptCost}, default 10)
     */
    public UserCommands(Path usersFile, int bcryptCost, SecureRandom random) {
        this.usersFile = Objects.requireNonNull(usersFile, "usersFile");
        this.editor = new UserFileEditor(usersFile);
        this.bcryptCost = bcryptCost;
        this.passwords = new Passwords(random);
    }

    /**
     * Adds a user, or with {@code replace} sets a new password for an existing one. The password
     * array is wiped afterwards.
     */
    public CommandResult add(String user, char[] password, boolean replace) {
        try {
            if (user == null || !USER_NAME.matcher(user).matches()) {
                return CommandResult.usage("invalid user name '" + user + "': use 1-64 of A-Z a-z 0-9 . _ @ - starting with a letter or digit");
            }
            if (password == null || password.length == 0) {
                return CommandResult.usage("empty password");
            }
            if (StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining() > Passwords.MAX_PASSWORD_BYTES) {
                return CommandResult.usage("password longer than " + Passwords.MAX_PASSWORD_BYTES
                        + " bytes: bcrypt ignores the rest, so choose a shorter one");
            }
            if (bcryptCost < Passwords.MIN_COST || bcryptCost > Passwords.MAX_COST) {
                return CommandResult.usage("bcrypt cost must be between " + Passwords.MIN_COST + " and " + Passwords.MAX_COST);
            }
            return switch (editor.put(user, passwords.hash(password, bcryptCost), replace)) {
                case ADDED -> CommandResult.ok("added user " + user + " to " + usersFile);
                case REPLACED -> CommandResult.ok("set a new password for user " + user + " in " + usersFile);
                case EXISTS -> CommandResult.failed("user '" + user + "' already exists in " + usersFile
                        + " (replace it to set a new password)");
            };
        } catch (UncheckedIOException e) {
            return CommandResult.failed(e.getMessage());
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    public CommandResult remove(String user) {
        if (user == null || user.isEmpty() || user.contains(":")) {
            return CommandResult.usage("invalid user name '" + user + "'");
        }
        try {
            return editor.remove(user) ? CommandResult.ok("removed user " + user + " from " + usersFile)
                    : CommandResult.failed("no user '" + user + "' in " + usersFile);
        } catch (UncheckedIOException e) {
            return CommandResult.failed(e.getMessage());
        }
    }

    /** One user per line; entries that cannot log in are reported on standard error. */
    public CommandResult list() {
        StringBuilder out = new StringBuilder();
        editor.users().forEach(u -> out.append(u).append('\n'));
        List<String> problems = editor.problems();
        return new CommandResult(CommandResult.OK, out.toString(), problems.isEmpty() ? "" : String.join("\n", problems) + "\n");
    }
}
