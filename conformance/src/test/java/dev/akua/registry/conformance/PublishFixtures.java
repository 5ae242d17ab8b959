package dev.akua.registry.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.akua.registry.config.ConfigLoader;
import dev.akua.registry.config.RegistryConfig;
import dev.akua.registry.extension.AuditTrail;
import dev.akua.registry.extension.Caller;
import dev.akua.registry.extension.FeatureContext;
import dev.akua.registry.extension.RegistryFeature;
import dev.akua.registry.extension.RequiredAccess;
import dev.akua.registry.extension.V2Hooks;
import dev.akua.registry.feature.publish.PublishFeature;
import dev.akua.registry.oci.Digest;
import dev.akua.registry.oci.RepositoryName;
import dev.akua.registry.oci.error.ErrorCode;
import dev.akua.registry.oci.error.OciException;
import dev.akua.registry.server.RegistryServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Inputs and registries for the publishing tests: akua render outputs as tar.gz (entries in any
 * order, any times, hostile kinds), a registry started with publishing policies and signing keys,
 * and a gate with named callers so {@code push} and {@code sign} rights can be told apart.
 */
final class PublishFixtures {
    static final Digest SOURCE = Digest.sha256("the akua package hello 1.2.3".getBytes(StandardCharsets.UTF_8));
    static final String SOURCE_REF = "oci://ghcr.io/acme/packages/hello:1.2.3";

    /** A ConfigMap whose data holds Helm template syntax as literal text. */
    static final String CONFIGMAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: hello
              labels:
                app.kubernetes.io/name: hello
            data:
              greeting: "{{ .Values.x }}"
              raw: |
                {{- range .Values.items }}{{ . }}{{ end -}}
                }} and {{{ are text here
            """;
    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: hello
            spec:
              selector:
                app.kubernetes.io/name: hello
              ports:
                - port: 80
                  targetPort: 8080
            """;
    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: hello
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: hello
                spec:
                  containers:
                    - name: hello
                      image: ghcr.io/acme/hello:1.2.3
                      args: ["--message", "{{ not a template }}"]
            """;

    /** The render output, file name → content, in render order. */
    static Map<String, String> render() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("000-configmap-hello.yaml", CONFIGMAP);
        m.put("001-service-hello.yaml", SERVICE);
        m.put("002-deployment-hello.yaml", DEPLOYMENT);
        return m;
    }

    private PublishFixtures() {
    }

    // ---------------------------------------------------------------- archives

    record Entry(String name, byte type, String link, byte[] content, long mtime) {
    }

    /** A tar.gz builder. */
    static final class Tgz {
        private final List<Entry> entries = new ArrayList<>();
        private long mtime = 1_700_000_000_000L;

        Tgz mtime(long millis) {
            this.mtime = millis;
            return this;
        }

        Tgz file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        Tgz file(String name, byte[] content) {
            entries.add(new Entry(name, TarConstants.LF_NORMAL, null, content, mtime));
            return this;
        }

        Tgz files(Map<String, String> files) {
            files.forEach(this::file);
            return this;
        }

        Tgz special(String name, byte type, String link) {
            entries.add(new Entry(name, type, link, new byte[0], mtime));
            return this;
        }

        Tgz reversed() {
            Collections.reverse(entries);
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Entry e : entries) {
                    TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
                    if (e.link() != null) {
                        entry.setLinkName(e.link());
                    }
                    entry.setModTime(e.mtime());
                    entry.setUserId(1000);
                    entry.setUserName("dev");
                    entry.setSize(e.type() == TarConstants.LF_NORMAL ? e.content().length : 0);
                    tar.putArchiveEntry(entry);
                    if (e.type() == TarConstants.LF_NORMAL) {
                        tar.write(e.content());
                    }
                    tar.closeArchiveEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    static Tgz tgz() {
        return new Tgz();
    }

    /** A gzip bomb: one file of {@code bytes} zeros (about 1000:1 at level 9); its header tells the truth. */
    static byte[] zeroBomb(String name, long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new Level9(out))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes);
            tar.putArchiveEntry(entry);
            byte[] zeros = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= zeros.length) {
                tar.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A gzip bomb no tar header gives away: a GNU long-name entry ({@code ././@LongLink}) of
     * {@code bytes} letters, which a tar reader must hold whole to learn the next name. Only a limit
     * applied while inflating stops it.
     */
    static byte[] longNameBomb(long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new Level9(out)) {
            byte[] h = new byte[512];
            put(h, 0, "././@LongLink");
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", bytes));
            put(h, 136, "00000000000");
            h[156] = 'L';
            put(h, 257, "ustar  ");
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            gz.write(h);
            byte[] letters = new byte[1 << 20];
            java.util.Arrays.fill(letters, (byte) 'a');
            for (long left = bytes; left > 0; left -= letters.length) {
                gz.write(letters, 0, (int) Math.min(letters.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }

    private static final class Level9 extends GZIPOutputStream {
        Level9(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }

    // ---------------------------------------------------------------- requests

    /** The publish path with the metadata as query parameters. */
    static String publishPath(String repo, String as, String version) {
        return publishPath(repo, Map.of("as", as, "version", version, "description", "Hello <world> & friends",
                "sourceRef", SOURCE_REF, "sourceDigest", SOURCE.toString()));
    }

    static String publishPath(String repo, Map<String, String> query) {
        StringBuilder q = new StringBuilder();
        new java.util.TreeMap<>(query).forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return "/api/v1/repositories/" + repo + "/publish" + q;
    }

    static Http.Resp publish(Http http, String path, byte[] tgz, String bearer) {
        var b = http.request(path).header("Content-Type", "application/gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(tgz));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b);
    }

    // ---------------------------------------------------------------- registries

    /** A started registry with the publish feature behind a {@link NamedGate}. */
    record Registry(RegistryServer server, NamedGate gate, List<String> audit) implements AutoCloseable {
        String base() {
            return server.baseUrl();
        }

        String hostPort() {
            return "127.0.0.1:" + server.port();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * Starts a registry whose structured sections ({@code signing}, {@code publish.policies}) come
     * from YAML, scalars from {@code env}, the gate from {@code gate}, and key passphrases from
     * {@code keyEnv}.
     */
    static Registry start(Path root, Map<String, String> env, String sectionsYaml, NamedGate gate, Map<String, String> keyEnv) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("AKUA_REGISTRY_LOCK_REMOTE_ALLOWLOOPBACK", "true");
        all.put("AKUA_REGISTRY_HTTP_PORT", "0");
        all.put("AKUA_REGISTRY_HTTP_HOST", "127.0.0.1");
        all.putIfAbsent("AKUA_REGISTRY_STORAGE_FILESYSTEM_ROOT", root.resolve("data").toString());
        RegistryConfig loaded = new ConfigLoader().load(null, all);
        Map<String, JsonNode> sections = new HashMap<>();
        if (sectionsYaml != null) {
            try {
                JsonNode tree = new JsonMapper(new YAMLFactory()).readTree(sectionsYaml);
                tree.properties().forEach(e -> sections.put(e.getKey(), e.getValue()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        RegistryConfig config = new RegistryConfig(loaded.http(), loaded.storage(), loaded.api(), loaded.values(), sections);
        List<String> audit = new CopyOnWriteArrayList<>();
        Function<FeatureContext, Optional<RegistryFeature>> testFeature = ctx -> {
            ctx.publish(AuditTrail.class, (event, caller, repository, digest, details) ->
                    audit.add(event + " " + caller.subject() + " " + repository + " " + digest + " " + details));
            return Optional.of(new RegistryFeature() {
                @Override
                public String name() {
                    return "test-gate";
                }

                @Override
                public void hooks(V2Hooks.Builder hooks) {
                    hooks.gate(gate);
                }
            });
        };
        // the lock feature too: its akua-exact resolver is an independent consumer of what is published
        RegistryServer server = RegistryServer.start(config, List.of(testFeature,
                dev.akua.registry.feature.lock.LockFeature::create, PublishFeature.factory(keyEnv::get)));
        return new Registry(server, gate, audit);
    }

    /**
     * Callers named by {@code Authorization: Bearer <name>}: each known name has a set of rights
     * ({@code pull}, {@code push}, {@code sign}); an unknown or missing name is anonymous.
     */
    static final class NamedGate implements AllowingObjectRules {
        private final Map<String, Set<String>> rights;
        private final Set<String> anonymous;

        /** @param anonymous what a request without a known name may do ({@code pull}, maybe {@code push}) */
        NamedGate(Map<String, Set<String>> rights, Set<String> anonymous) {
            this.rights = Map.copyOf(rights);
            this.anonymous = Set.copyOf(anonymous);
        }

        @Override
        public Caller authorize(String authorization, String clientAddress, List<RequiredAccess> required) {
            String name = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
            Set<String> held = name == null ? anonymous : rights.getOrDefault(name, anonymous);
            for (RequiredAccess r : required) {
                for (RequiredAccess.Action a : r.actions()) {
                    if (!held.contains(a.scopeName())) {
                        throw OciException.of(name == null ? ErrorCode.UNAUTHORIZED : ErrorCode.DENIED,
                                (name == null ? "anonymous" : name) + " may not " + a.scopeName() + " " + r.resourceName());
                    }
                }
            }
            return name == null || !rights.containsKey(name) ? Caller.anonymous(clientAddress)
                    : new Caller(name, false, clientAddress, name);
        }


        @Override
        public boolean permits(Caller caller, RepositoryName repository, String right) {
            return !caller.anonymous() && rights.getOrDefault(caller.subject(), Set.of()).contains(right);
        }
    }

    static NamedGate gate() {
        return new NamedGate(Map.of("alice", Set.of("pull", "push", "sign"), "bob", Set.of("pull", "push")), Set.of("pull"));
    }

    /** A gate where anonymous clients may pull and push (as akua pushes to a registry without auth), and nobody signs. */
    static NamedGate openGate() {
        return new NamedGate(Map.of(), Set.of("pull", "push"));
    }
}
