package dev.akua.registry.feature.auth;

import dev.akua.registry.auth.AuthConfig;
import dev.akua.registry.auth.cli.CommandResult;
import dev.akua.registry.auth.cli.TokenCommands;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code akua-registry token create-robot|create-personal|list|revoke}: robot accounts for CI and
 * personal access tokens, in the tokens file ({@code auth.tokensFile}) the server reads; a
 * revocation applies on the server's next request. The secret is printed once by
 * {@code create-*} and stored only as a hash.
 */
public final class TokenCommand implements CliCommand {
    static final String USAGE = """
            akua-registry token create-robot <name> [--scope '<glob>:<actions>']... [--expires 90d|12h|30m|YYYY-MM-DD|never] [--description TEXT]
                   akua-registry token create-personal <user> [--scope '<glob>:<actions>']... [--expires …] [--description TEXT]
                   akua-registry token list
                   akua-registry token revoke <token id | robot name>""";
    private final Clock clock;

    public TokenCommand() {
        this(Clock.systemUTC());
    }

    TokenCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public String summary() {
        return "create, list or revoke robot (CI) and personal tokens";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        AuthConfig auth = AuthSettings.from(config).config();
        TokenCommands tokens = new TokenCommands(auth.tokensFile(), auth.usersFile(), clock, new SecureRandom());
        try {
            if (args.isEmpty()) {
                throw new CliArgs.UsageException("usage: " + USAGE);
            }
            CliArgs a = new CliArgs(args.subList(1, args.size()), Set.of("scope", "expires", "description"), Set.of());
            CommandResult result = switch (args.getFirst()) {
                case "create-robot" -> tokens.createRobot(a.positional(1, USAGE).getFirst(), a.all("scope"),
                        a.one("expires").orElse(null), a.one("description").orElse(null));
                case "create-personal" -> tokens.createPersonal(a.positional(1, USAGE).getFirst(), a.all("scope"),
                        a.one("expires").orElse(null), a.one("description").orElse(null));
                case "list" -> {
                    a.positional(0, USAGE);
                    yield tokens.list();
                }
                case "revoke" -> tokens.revoke(a.positional(1, USAGE).getFirst());
                default -> throw new CliArgs.UsageException("unknown token command '" + args.getFirst() + "'; usage: " + USAGE);
            };
            return Results.print(result, out, err);
        } catch (CliArgs.UsageException e) {
            err.println(e.getMessage());
            return CommandResult.USAGE;
        }
    }
}
