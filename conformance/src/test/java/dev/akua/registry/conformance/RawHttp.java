package dev.akua.registry.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, byte for byte as written: for client behaviour that the JDK client
 * would normalise (two separate {@code Accept} lines, a literal {@code :} in a query string, an
 * explicit {@code Content-Length: 0}).
 */
final class RawHttp {
    private final String host;
    private final int port;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    record Response(int status, List<String[]> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code method target} with the given header lines ({@code "Name: value"}, in order, repeats
     * allowed) and body; {@code Host}, {@code Content-Length} (when a body is given or the method
     * needs one) and {@code Connection: close} are added.
     */
    Response exchange(String method, String target, List<String> headerLines, byte[] body) throws IOException {
        return exchangeWithHost(host + ":" + port, method, target, headerLines, body);
    }

    /** Same, sending {@code hostHeader} as {@code Host} (a client that names another authority). */
    Response exchangeWithHost(String hostHeader, String method, String target, List<String> headerLines, byte[] body) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(hostHeader).append("\r\n");
            for (String h : headerLines) {
                head.append(h).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        String l;
        while (!(l = line(in)).isEmpty()) {
            int colon = l.indexOf(':');
            headers.add(new String[]{l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
        }
        Response partial = new Response(status, headers, new byte[0]);
        if (head || status == 204 || status == 304) {
            return partial;
        }
        Optional<String> length = partial.header("Content-Length");
        if (length.isPresent()) {
            return new Response(status, headers, in.readNBytes(Integer.parseInt(length.get())));
        }
        if (partial.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    line(in);
                    break;
                }
                body.write(in.readNBytes(size));
                line(in);
            }
            return new Response(status, headers, body.toByteArray());
        }
        return new Response(status, headers, in.readAllBytes());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
