package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AuthConfig;
import dev.akua.registry.auth.cli.CommandResult;
import dev.akua.registry.auth.cli.UserCommands;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code akua-registry user add|remove|list}: edits the htpasswd file ({@code auth.usersFile})
 * the server reads; a running server sees the change on its next login. The password comes from
 * the terminal without echo (asked twice), or with {@code --password-stdin} from standard input
 * (first line), never from the command line, where other users could read it.
 */
public final class UserCommand implements CliCommand {
    static final String USAGE = """
            akua-registry user add <name> [--password-stdin] [--replace]
                   akua-registry user remove <name>
                   akua-registry user list""";
    /** A password line longer than this is not a password (bcrypt uses 72 bytes anyway). */
    private static final int MAX_STDIN = 4096;

    private final InputStream stdin;
    private final Supplier<Console> console;

    public UserCommand() {
        this(System.in, System::console);
    }

    UserCommand(InputStream stdin, Supplier<Console> console) {
        this.stdin = stdin;
        this.console = console;
    }

    @Override
    public String name() {
        return "user";
    }

    @Override
    public String summary() {
        return "add, remove or list users (htpasswd, bcrypt)";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        AuthConfig auth = AuthSettings.from(config).config();
        UserCommands users = new UserCommands(auth.usersFile(), auth.bcryptCost(), new SecureRandom());
        try {
            if (args.isEmpty()) {
                throw new CliArgs.UsageException("usage: " + USAGE);
            }
            CliArgs a = new CliArgs(args.subList(1, args.size()), Set.of(), Set.of("password-stdin", "replace"));
            CommandResult result = switch (args.getFirst()) {
                case "add" -> {
                    String name = a.positional(1, USAGE).getFirst();
                    yield users.add(name, a.flag("password-stdin") ? readStdin() : ask(name), a.flag("replace"));
                }
                case "remove" -> users.remove(a.positional(1, USAGE).getFirst());
                case "list" -> {
                    a.positional(0, USAGE);
                    yield users.list();
                }
                default -> throw new CliArgs.UsageException("unknown user command '" + args.getFirst() + "'; usage: " + USAGE);
            };
            return Results.print(result, out, err);
        } catch (CliArgs.UsageException e) {
            err.println(e.getMessage());
            return CommandResult.USAGE;
        }
    }

    private char[] readStdin() {
        byte[] raw;
        try {
            raw = stdin.readNBytes(MAX_STDIN + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password from standard input", e);
        }
        try {
            if (raw.length > MAX_STDIN) {
                throw new CliArgs.UsageException("standard input is too long for a password");
            }
            int end = 0;
            while (end < raw.length && raw[end] != '\n' && raw[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, 0, end));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (CharacterCodingException e) {
            throw new CliArgs.UsageException("the password on standard input is not UTF-8");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private char[] ask(String user) {
        Console c = console.get();
        if (c == null) {
            throw new CliArgs.UsageException("no terminal to ask for the password; pipe it in with --password-stdin");
        }
        char[] first = c.readPassword("password for %s: ", user);
        char[] second = c.readPassword("again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                if (first != null) {
                    Arrays.fill(first, '\0');
                }
                throw new CliArgs.UsageException("the passwords do not match");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }
}
