package dev.akua.registry.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a real upstream that, when armed, breaks a connection once
 * more than a given number of response bytes went through it: an upstream failing in the middle
 * of sending a blob, as a crashed registry or a cut network does.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong cuts = new AtomicLong();
    private volatile long cutAfter = -1;

    CuttingProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on, connections whose responses pass {@code bytes} are broken off. */
    void cutResponsesAfter(long bytes) {
        cutAfter = bytes;
    }

    void heal() {
        cutAfter = -1;
    }

    long cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, false));
                Thread.ofVirtual().start(() -> pump(upstream, client, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean response) {
        byte[] buf = new byte[16 * 1024];
        long count = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                long limit = cutAfter;
                if (response && limit >= 0 && count + n > limit) {
                    int part = (int) Math.max(0, limit - count);
                    out.write(buf, 0, part);
                    out.flush();
                    cuts.incrementAndGet();
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
                count += n;
            }
        } catch (IOException e) {
            // the other side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(CuttingProxy::close);
    }
}
