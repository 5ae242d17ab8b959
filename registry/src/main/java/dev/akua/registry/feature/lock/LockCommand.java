package dev.akua.registry.feature.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.lockfile.DriftReport;
import dev.akua.registry.lockfile.LockMode;
import dev.akua.registry.lockfile.LockOutcome;
import dev.akua.registry.lockfile.LockRequest;
import dev.akua.registry.lockfile.LockService;
import dev.akua.registry.lockfile.error.LockException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code akua-registry lock [--check | --update] [--workspace DIR] [--registry URL [--token-file FILE]]}:
 * akua's {@code lock}, {@code lock --check} and {@code update} on a workspace directory, resolved
 * here with the {@code lock.*} settings, or by a registry's {@code POST /api/v1/lock} when
 * {@code --registry} is given. Exit codes (akua's convention, {@link CliCommand}): 0 success,
 * 1 a user error or drift found by {@code --check}, 2 usage, configuration, remote or I/O failure.
 */
public final class LockCommand implements CliCommand {
    private static final int MAX_TOKEN_BYTES = 16 * 1024;
    private static final String USAGE = "usage: akua-registry lock [--check | --update] [--workspace DIR] [--registry URL [--token-file FILE]]";

    @Override
    public String name() {
        return "lock";
    }

    @Override
    public String summary() {
        return "[--check|--update] [--workspace DIR] [--registry URL]  pin akua.toml dependencies in akua.lock";
    }

    /** The parsed command line. */
    record Options(LockMode mode, Path workspace, Optional<URI> registry, Optional<Path> tokenFile) {
    }

    static Options parse(List<String> args) {
        LockMode mode = LockMode.LOCK;
        Path workspace = Path.of(".");
        URI registry = null;
        Path tokenFile = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = null;
            String option = a;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                option = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (option) {
                case "--check", "--update" -> {
                    if (value != null) {
                        throw new IllegalArgumentException(option + " takes no value");
                    }
                    LockMode chosen = option.equals("--check") ? LockMode.CHECK : LockMode.UPDATE;
                    if (mode != LockMode.LOCK && mode != chosen) {
                        throw new IllegalArgumentException("--check and --update exclude each other");
                    }
                    mode = chosen;
                }
                case "--workspace", "--registry", "--token-file" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(option + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (option) {
                        case "--workspace" -> workspace = Path.of(value);
                        case "--token-file" -> tokenFile = Path.of(value);
                        default -> registry = registryUri(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        if (tokenFile != null && registry == null) {
            throw new IllegalArgumentException("--token-file is only used with --registry");
        }
        return new Options(mode, workspace, Optional.ofNullable(registry), Optional.ofNullable(tokenFile));
    }

    private static URI registryUri(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--registry must be a URL such as https://registry.example.com: " + value);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--registry must be an http(s) URL without credentials, query or fragment: " + value);
        }
        return uri;
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        return options.registry().isPresent() ? remote(options, out, err) : local(options, config, out, err);
    }

    private static int local(Options options, RegistryConfig config, PrintStream out, PrintStream err) {
        LockSettings settings = LockSettings.from(config);
        try (LockEngine engine = LockEngine.create(settings)) {
            LockOutcome outcome = engine.service().lockWorkspace(options.workspace(), options.mode());
            out.print(DriftReport.render(outcome));
            return outcome.exitCode();
        } catch (LockException e) {
            err.println("error: " + e.getMessage());
            return e.reason().exitCode();
        }
    }

    private static int remote(Options options, PrintStream out, PrintStream err) {
        URI registry = options.registry().orElseThrow();
        LockRequest request;
        Optional<String> token;
        try {
            request = LockService.readWorkspace(options.workspace(), options.mode());
            token = options.tokenFile().isPresent() ? Optional.of(readToken(options.tokenFile().get())) : Optional.empty();
        } catch (LockException e) {
            err.println("error: " + e.getMessage());
            return e.reason().exitCode();
        } catch (IOException e) {
            err.println("error: cannot read --token-file: " + e.getMessage());
            return 2;
        }
        LockApiClient client = new LockApiClient(registry, token);
        LockApiClient.Answer answer;
        try {
            answer = client.lock(request);
        } catch (IOException e) {
            err.println("error: lock through " + client.endpoint() + " failed: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 2;
        }
        JsonNode body = answer.body();
        if (answer.status() != 200) {
            JsonNode error = body.path("errors").path(0);
            String message = error.path("message").asText("the registry answered " + answer.status());
            JsonNode detail = error.path("detail");
            err.println("error: " + message + (detail.has("reason") ? " [" + detail.get("reason").asText() + "]" : "")
                    + " (" + answer.status() + " from " + client.endpoint() + ")");
            return detail.path("exitCode").isInt() ? detail.get("exitCode").asInt() : 2;
        }
        if (!body.path("lock").isTextual() || !body.path("exitCode").isInt()) {
            err.println("error: the answer of " + client.endpoint() + " has no lock text or exit code");
            return 2;
        }
        out.print(body.path("report").asText(""));
        String lockText = body.get("lock").asText();
        if (options.mode() != LockMode.CHECK && !lockText.equals(request.priorLockText().orElse(null))) {
            try {
                LockService.writeLock(request.workspace().orElseThrow(), lockText);
            } catch (LockException e) {
                err.println("error: " + e.getMessage());
                return e.reason().exitCode();
            }
            out.println("wrote " + request.workspace().orElseThrow().resolve("akua.lock") + " (resolved by " + registry + ")");
        }
        return body.get("exitCode").asInt();
    }

    private static String readToken(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_TOKEN_BYTES + 1);
            if (bytes.length > MAX_TOKEN_BYTES) {
                throw new IOException(file + " is larger than " + MAX_TOKEN_BYTES + " bytes");
            }
            String token = new String(bytes, StandardCharsets.UTF_8).strip();
            if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IOException(file + " must hold one token of printable ASCII characters");
            }
            return token;
        }
    }
}
