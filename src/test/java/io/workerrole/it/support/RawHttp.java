package io.workerrole.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 requests sent exactly as written, to the test server's plain HTTP port: for what Java's
 * HTTP client refuses to send (a forged {@code Host} header, a URL that is not valid).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * @param head the request line and headers, without the empty line that ends them; the
     *             connection is closed after the answer
     * @return the whole answer: status line, headers and body
     */
    public static String exchange(String head) throws IOException {
        URI server = WorkerServer.uri("");
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }
}
