package dev.akua.registry.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving upstream for the cases WireMock cannot produce (a body shorter than its
 * Content-Length, an unbounded body without a length): answers every connection with the same raw
 * bytes, then closes. Listens on 127.0.0.1 on a random port; close it to stop.
 */
final class RawUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    private final AtomicInteger connections = new AtomicInteger();

    RawUpstream(byte[] head, long bodyBytes) throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
        thread = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    drainHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(head);
                    byte[] chunk = new byte[8192];
                    for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, bodyBytes - sent));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the client hung up (as it should when it refuses a body); keep serving
                }
            }
        });
    }

    static RawUpstream answering(String head, long bodyBytes) throws IOException {
        return new RawUpstream(head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1), bodyBytes);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private static void drainHead(InputStream in) throws IOException {
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : 0;
                default -> 0;
            };
            if (state == 4) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
