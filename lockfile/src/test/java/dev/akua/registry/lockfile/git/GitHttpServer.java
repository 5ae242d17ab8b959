package dev.akua.registry.lockfile.git;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git smart-HTTP server for tests: nginx + fcgiwrap + git-http-backend (Debian packages
 * {@code nginx}, {@code fcgiwrap}, {@code git}), listening on 127.0.0.1 on a free port, serving the
 * bare repositories under {@link #root()} at {@code /git/<name>.git}. Missing tools fail loudly.
 */
final class GitHttpServer implements AutoCloseable {
    private static final String BACKEND = "/usr/lib/git-core/git-http-backend";

    private final Path dir;
    private final Path root;
    private final int port;
    private final Process fcgiwrap;
    private final Path nginxConf;

    GitHttpServer(Path dir) throws Exception {
        for (String tool : List.of("/usr/sbin/nginx", "/usr/sbin/fcgiwrap", BACKEND, "/usr/bin/git")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: install the Debian packages nginx, fcgiwrap and git");
            }
        }
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("repos"));
        Path socket = dir.resolve("fcgiwrap.sock");
        this.fcgiwrap = new ProcessBuilder("/usr/sbin/fcgiwrap", "-s", "unix:" + socket).redirectErrorStream(true)
                .redirectOutput(dir.resolve("fcgiwrap.log").toFile()).start();
        waitFor(() -> Files.exists(socket), "fcgiwrap socket");
        this.port = freePort();
        String conf = """
                user root; worker_processes 1; daemon on; pid %1$s/nginx.pid; error_log %1$s/error.log;
                events { worker_connections 64; }
                http { access_log %1$s/access.log;
                  client_body_temp_path %1$s/tmp-body; fastcgi_temp_path %1$s/tmp-fcgi; proxy_temp_path %1$s/tmp-proxy;
                  uwsgi_temp_path %1$s/tmp-uwsgi; scgi_temp_path %1$s/tmp-scgi;
                  server { listen 127.0.0.1:%2$d;
                    location ~ ^/git(/.*) { client_max_body_size 0; fastcgi_pass unix:%3$s; include /etc/nginx/fastcgi_params;
                      fastcgi_param SCRIPT_FILENAME %4$s; fastcgi_param GIT_HTTP_EXPORT_ALL "";
                      fastcgi_param GIT_PROJECT_ROOT %5$s; fastcgi_param PATH_INFO $1; } } }
                """.formatted(dir, port, socket, BACKEND, root);
        this.nginxConf = dir.resolve("nginx.conf");
        Files.writeString(nginxConf, conf, StandardCharsets.UTF_8);
        run(dir, "/usr/sbin/nginx", "-c", nginxConf.toString());
        waitFor(this::listening, "nginx on port " + port);
    }

    Path root() {
        return root;
    }

    String url(String repo) {
        return "http://127.0.0.1:" + port + "/git/" + repo + ".git";
    }

    /** Runs git (or any command) in a directory; fails with its output if it fails. */
    static String run(Path cwd, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out.trim();
    }

    private boolean listening() {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not come up");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(dir, "/usr/sbin/nginx", "-c", nginxConf.toString(), "-s", "quit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            fcgiwrap.destroy();
            try {
                fcgiwrap.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
