package dev.akua.registry.feature.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.akua.registry.cli.CliCommand;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.oci.Reference;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.OciException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code akua-registry verify <repository> <digest|tag> [--registry URL] [--json] [--token-env NAME]}:
 * a CI gate. Asks the registry's verification API for the report of the artifact under the
 * registry's trust policy, prints it, and exits 0 when the policy is met, 1 when it is not (no
 * policy covering the repository counts as not met), 2 on a usage error or when no report could be
 * had (registry unreachable, unknown manifest, access refused): a gate fails closed.
 *
 * <p>Without {@code --registry} the registry of the loaded configuration is asked
 * ({@code http.publicUrl}, else {@code http://<http.host>:<http.port>}). Credentials: a bearer
 * token (a robot or personal token, or a registry JWT) from the environment variable named by
 * {@code --token-env}, {@code AKUA_TOKEN} by default; never from the command line, where {@code ps}
 * would show it.
 */
public final class VerifyCommand implements CliCommand {
    static final int MAX_REPORT_BYTES = 8 * 1024 * 1024;
    private final Function<String, String> environment;
    private final JsonMapper json = JsonMapper.builder().build();

    public VerifyCommand() {
        this(System::getenv);
    }

    /** @param environment how environment variables are read ({@code System::getenv}; tests pass a map) */
    public VerifyCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String summary() {
        return "<repository> <digest|tag> [--registry URL] [--json] [--token-env NAME]  exit 0 if the signature policy is met, 1 if not";
    }

    @Override
    public int run(List<String> args, RegistryConfig config, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        String registry = null;
        String tokenEnv = "AKUA_TOKEN";
        boolean asJson = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--json")) {
                asJson = true;
            } else if ((a.equals("--registry") || a.equals("--token-env")) && i + 1 < args.size()) {
                if (a.equals("--registry")) {
                    registry = args.get(++i);
                } else {
                    tokenEnv = args.get(++i);
                }
            } else if (a.startsWith("--registry=")) {
                registry = a.substring("--registry=".length());
            } else if (a.startsWith("--token-env=")) {
                tokenEnv = a.substring("--token-env=".length());
            } else if (a.startsWith("-")) {
                return usage(err, "unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) {
            return usage(err, "expected a repository and a digest or tag");
        }
        RepositoryName repo;
        Reference ref;
        try {
            repo = RepositoryName.parse(positional.get(0));
            ref = Reference.parse(positional.get(1));
        } catch (OciException e) {
            return usage(err, e.getMessage());
        }
        String base = registry != null ? registry : defaultBase(config);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(base + "/api/v1/repositories/" + repo + "/signatures/" + ref);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                return usage(err, "--registry must be an http(s) URL, not " + base);
            }
        } catch (IllegalArgumentException e) {
            return usage(err, "--registry must be an http(s) URL, not " + base);
        }

        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json").header("User-Agent", "akua-registry-verify").GET();
        String token = environment.apply(tokenEnv);
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        int status;
        byte[] body;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_REPORT_BYTES + 1);
            }
        } catch (IOException e) {
            err.println("verify: cannot reach " + base + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("verify: interrupted");
            return 2;
        }
        if (body.length > MAX_REPORT_BYTES) {
            err.println("verify: the registry's answer is larger than " + MAX_REPORT_BYTES + " bytes");
            return 2;
        }
        JsonNode report;
        try {
            report = json.readTree(body);
        } catch (IOException e) {
            report = null;
        }
        if (status != 200 || report == null || !report.path("policyMet").isBoolean()) {
            err.println("verify: " + uri + " answered " + status + ": " + errorMessage(report, body));
            return 2;
        }
        if (asJson) {
            out.println(new String(body, StandardCharsets.UTF_8));
        } else {
            print(report, out);
        }
        return report.get("policyMet").asBoolean() ? 0 : 1;
    }

    static String defaultBase(RegistryConfig config) {
        if (!config.http().publicUrl().isEmpty()) {
            return config.http().publicUrl();
        }
        String host = config.http().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + config.http().port();
    }

    private static void print(JsonNode r, PrintStream out) {
        boolean met = r.get("policyMet").asBoolean();
        String policy = r.path("policy").isTextual() ? "policy " + r.get("policy").asText() + ", enforce " + r.path("enforce").asText()
                : "no policy";
        out.println((met ? "policy met: " : "policy NOT met: ") + r.path("repository").asText() + "@" + r.path("digest").asText()
                + " (" + policy + ")");
        out.println("  " + r.path("summary").asText());
        for (String kind : List.of("signatures", "attestations")) {
            for (JsonNode f : r.path(kind)) {
                String where = f.has("tag") ? "tag " + f.get("tag").asText() : "referrer " + f.path("manifestDigest").asText();
                if (f.has("layer")) {
                    where += " layer " + f.get("layer").asInt();
                }
                String signer = "";
                JsonNode s = f.path("signer");
                if (s.has("keyFingerprint")) {
                    signer = " key " + (s.has("keyName") ? s.get("keyName").asText() + " " : "") + s.get("keyFingerprint").asText();
                } else if (s.has("identity")) {
                    signer = " " + s.get("identity").asText() + " (issuer " + s.path("issuer").asText() + ")";
                }
                out.println("  " + (kind.equals("signatures") ? "signature  " : "attestation") + " " + f.path("format").asText() + " "
                        + where + ": " + (f.path("verified").asBoolean() ? "verified" : "NOT verified (" + f.path("reason").asText() + ")")
                        + signer + (f.has("predicateType") ? " predicate " + f.get("predicateType").asText() : ""));
            }
        }
    }

    private static String errorMessage(JsonNode envelope, byte[] body) {
        if (envelope != null && envelope.path("errors").isArray() && !envelope.get("errors").isEmpty()) {
            JsonNode e = envelope.get("errors").get(0);
            return e.path("code").asText() + ": " + e.path("message").asText();
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return text.isBlank() ? "(no body)" : text;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("verify: " + problem);
        err.println("usage: akua-registry verify <repository> <digest|tag> [--registry URL] [--json] [--token-env NAME]");
        return 2;
    }
}
