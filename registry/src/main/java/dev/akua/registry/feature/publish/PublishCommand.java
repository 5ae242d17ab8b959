package dev.akua.registry.feature.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.publisher.PackageMetadata;
import dev.akua.registry.publisher.Shape;
import dev.akua.registry.publisher.archive.DeterministicTarGz;
import dev.akua.registry.publisher.packages.AkuaToml;
import dev.akua.registry.publisher.packages.PackageTree;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code akua-registry publish --repository NAME --as helm-chart|oci-bundle [options]}: publishes an
 * akua workspace's render output through a registry's publish API.
 *
 * <p>From the workspace ({@code --workspace}, default the current directory) it reads
 * {@code akua.toml} for the default name and version, and archives the render output directory
 * ({@code --rendered}, default {@code <workspace>/deploy}: {@code akua render --out ./deploy}) as a
 * deterministic tar.gz of its regular, non-hidden files. The source package digest is
 * {@code --source-digest} (e.g. the digest {@code akua publish} printed), else the akua
 * {@code hash_dir} digest of the workspace's package files ({@link PackageTree}). The registry is
 * {@code --registry URL}, else the one of the loaded configuration. Credentials: a bearer token
 * (robot or personal token) from the environment variable named by {@code --token-env},
 * {@code AKUA_TOKEN} by default, never from the command line.
 *
 * <p>Prints the registry's JSON answer; exits 0 when published, 1 when the registry refused, 2 on a
 * usage error or when the registry could not be reached.
 */
public final class PublishCommand implements CliCommand {
    /** The CLI holds the archive in memory to send it; the server's own default limit is 64 MiB. */
    static final long MAX_ARCHIVE_INPUT = 256L << 20;
    private final Function<String, String> environment;
    private final JsonMapper json = JsonMapper.builder().build();

    public PublishCommand() {
        this(System::getenv);
    }

    /** @param environment how environment variables are read ({@code System::getenv}; tests pass a map) */
    public PublishCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public String summary() {
        return "--repository NAME --as helm-chart|oci-bundle [--workspace DIR] [--rendered DIR] [--version V] [--name N] "
                + "[--description D] [--source-ref REF] [--source-digest D] [--registry URL] [--token-env NAME]  publish rendered manifests";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> known = List.of("--repository", "--as", "--workspace", "--rendered", "--version", "--name", "--description",
                "--source-ref", "--source-digest", "--created", "--registry", "--token-env");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!known.contains(key)) {
                return usage(err, "unknown option " + a);
            }
            if (a.contains("=")) {
                opts.put(key, a.substring(a.indexOf('=') + 1));
            } else if (i + 1 < args.size()) {
                opts.put(key, args.get(++i));
            } else {
                return usage(err, a + " needs a value");
            }
        }
        if (!opts.containsKey("--repository") || !opts.containsKey("--as")) {
            return usage(err, "--repository and --as are required");
        }
        RepositoryName repo;
        Shape shape;
        try {
            repo = RepositoryName.parse(opts.get("--repository"));
            shape = Shape.parse(opts.get("--as"));
        } catch (RuntimeException e) {
            return usage(err, e.getMessage());
        }
        Path workspace = Path.of(opts.getOrDefault("--workspace", "."));
        Path rendered = opts.containsKey("--rendered") ? Path.of(opts.get("--rendered")) : workspace.resolve("deploy");

        Map<String, String> query = new LinkedHashMap<>();
        query.put("as", shape.wireName());
        try {
            PackageMetadata pkg = null;
            Path toml = workspace.resolve("akua.toml");
            if (Files.isRegularFile(toml)) {
                pkg = new AkuaToml(1 << 20).read(Files.readString(toml, StandardCharsets.UTF_8));
            }
            String name = opts.getOrDefault("--name", pkg == null ? null : pkg.name());
            String version = opts.getOrDefault("--version", pkg == null ? null : pkg.version());
            if (version == null) {
                return usage(err, "no version: give --version or run in a workspace with akua.toml");
            }
            if (name != null) {
                query.put("name", name);
            }
            query.put("version", version);
            if (opts.containsKey("--description")) {
                query.put("description", opts.get("--description"));
            }
            if (opts.containsKey("--source-ref")) {
                query.put("sourceRef", opts.get("--source-ref"));
            }
            if (opts.containsKey("--created")) {
                query.put("created", opts.get("--created"));
            }
            String sourceDigest = opts.get("--source-digest");
            if (sourceDigest == null) {
                if (pkg == null) {
                    return usage(err, "no source package: give --source-digest or run in a workspace with akua.toml");
                }
                sourceDigest = PackageTree.digest(workspace).toString();
            } else {
                Digest.parse(sourceDigest);
            }
            query.put("sourceDigest", sourceDigest);
        } catch (AkuaToml.InvalidAkuaToml e) {
            return usage(err, "akua.toml: " + e.getMessage());
        } catch (OciException | IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            return usage(err, "cannot read the workspace " + workspace + ": " + e.getMessage());
        }

        byte[] archive;
        try {
            archive = archive(rendered);
        } catch (IOException e) {
            return usage(err, "cannot read the render output " + rendered + ": " + e.getMessage());
        }
        if (archive == null) {
            return usage(err, "the render output " + rendered + " holds no manifest files (run akua render --out " + rendered + ")");
        }

        String base = opts.getOrDefault("--registry", defaultBase(config));
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI uri;
        try {
            uri = URI.create(base + "/api/v1/repositories/" + repo + "/publish" + q);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return usage(err, "--registry must be an http(s) URL, not " + base);
            }
        } catch (IllegalArgumentException e) {
            return usage(err, "--registry must be an http(s) URL, not " + base);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/gzip").header("Accept", "application/json")
                .header("User-Agent", "akua-registry-publish")
                .POST(HttpRequest.BodyPublishers.ofByteArray(archive));
        String token = environment.apply(opts.getOrDefault("--token-env", "AKUA_TOKEN"));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        HttpResponse<byte[]> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build()) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            err.println("publish: registry " + base + " unreachable: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("publish: interrupted");
            return 2;
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 201) {
            try {
                out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(body)));
            } catch (IOException e) {
                out.println(body);
            }
            return 0;
        }
        err.println("publish: the registry answered " + response.statusCode() + ": " + errorMessage(body));
        return response.statusCode() < 500 ? 1 : 2;
    }

    /** The render output as a deterministic tar.gz of its regular, non-hidden files; null when there are none. */
    static byte[] archive(Path rendered) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (Stream<Path> entries = Files.list(rendered)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                total += Files.size(p);
                if (total > MAX_ARCHIVE_INPUT) {
                    throw new IOException("the render output is larger than " + MAX_ARCHIVE_INPUT + " bytes");
                }
                files.put(name, Files.readAllBytes(p));
            }
        }
        return files.isEmpty() ? null : DeterministicTarGz.write(files);
    }

    private String errorMessage(String body) {
        try {
            JsonNode e = json.readTree(body).path("errors").path(0);
            if (e.has("message")) {
                return e.path("code").asText() + ": " + e.path("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show it as it is
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private static String defaultBase(RegistryConfig config) {
        if (!config.http().publicUrl().isEmpty()) {
            return config.http().publicUrl();
        }
        String host = config.http().host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.http().port();
    }

    private static int usage(PrintStream err, String message) {
        err.println("publish: " + message);
        err.println("usage: akua-registry publish --repository NAME --as helm-chart|oci-bundle [--workspace DIR] [--rendered DIR]");
        err.println("       [--version V] [--name N] [--description D] [--source-ref REF] [--source-digest sha256:…] [--created RFC3339]");
        err.println("       [--registry URL] [--token-env NAME]");
        return 2;
    }
}
