package dev.akua.registry.server;

import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.cli.CliCommands;
import dev.akua.registry.config.ConfigException;
import dev.akua.registry.config.ConfigKeys;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry point of the one runnable jar.
 *
 * <pre>
 * akua-registry [serve] [--config FILE]    start the registry (the default command)
 * akua-registry config                     list configuration keys, defaults and environment variables
 * akua-registry version
 * akua-registry &lt;command&gt; …                 feature commands ({@link CliCommands})
 * </pre>
 * Without {@code --config}, {@code ./akua-registry.yaml} is read when it exists; otherwise the
 * embedded defaults apply (filesystem storage under {@code ./data}, {@code 127.0.0.1:5000}).
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() || rest.getFirst().startsWith("-") ? "serve" : rest.removeFirst();
        try {
            for (CliCommand c : CliCommands.all()) {
                if (c.name().equals(command)) {
                    Path configFile = takeConfigOption(rest);
                    return c.run(rest, new ConfigLoader().load(configFile, System.getenv()), out, err);
                }
            }
            return switch (command) {
                case "serve" -> serve(rest, out, err);
                case "config" -> {
                    ConfigKeys.DEFAULTS.forEach((k, v) -> out.printf("%-32s %-36s %s (default: %s)%n",
                            k, ConfigKeys.envName(k), ConfigKeys.DESCRIPTIONS.get(k), v.isEmpty() ? "unset" : v));
                    yield 0;
                }
                case "version", "--version" -> {
                    out.println("akua-registry " + VERSION);
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    usage(out);
                    yield 0;
                }
                default -> {
                    err.println("unknown command: " + command);
                    usage(err);
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: akua-registry [serve] [--config FILE]");
        s.println("       akua-registry config | version | help");
        for (CliCommand c : CliCommands.all()) {
            s.printf("       akua-registry %-12s %s%n", c.name(), c.summary());
        }
    }

    /**
     * Removes {@code --config FILE} / {@code --config=FILE} from the arguments; without it,
     * {@code ./akua-registry.yaml} when present, else none (embedded defaults).
     */
    static Path takeConfigOption(List<String> args) {
        Path configFile = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(i + 1));
                args.remove(i + 1);
                args.remove(i);
                i--;
            } else if (a.startsWith("--config=")) {
                configFile = Path.of(a.substring("--config=".length()));
                args.remove(i);
                i--;
            }
        }
        if (configFile == null && Files.exists(Path.of("akua-registry.yaml"))) {
            configFile = Path.of("akua-registry.yaml");
        }
        return configFile;
    }

    private static int serve(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = takeConfigOption(args);
        if (!args.isEmpty()) {
            err.println("unknown option: " + args.getFirst());
            return 2;
        }
        RegistryConfig config = new ConfigLoader().load(configFile, System.getenv());
        RegistryServer server = RegistryServer.start(config);
        out.println("akua-registry " + VERSION + " listening on " + server.baseUrl()
                + " (storage: " + config.storage().driver()
                + (config.storage().driver().equals("filesystem") ? " " + config.storage().filesystemRoot().toAbsolutePath().normalize() : "") + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
