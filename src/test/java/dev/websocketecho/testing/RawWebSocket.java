package dev.websocketecho.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client on a plain socket, with its own frame writer and reader, so that tests can send what no
 * well-behaved client library would: unmasked frames, reserved bits and opcodes, broken UTF-8, bad close frames.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A frame as it came off the wire. */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

        /** The status code of a close frame, or 1005 when it has none. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** What the server answered to the handshake. */
    public record Response(int status, Map<String, String> headers) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Response response;

    private RawWebSocket(Socket socket, Response response, InputStream in) throws IOException {
        this.socket = socket;
        this.response = response;
        this.in = new DataInputStream(in);
        this.out = socket.getOutputStream();
    }

    /** Opens a connection and performs a correct handshake; fails unless the server switches protocols. */
    public static RawWebSocket open(int port, String path) throws IOException {
        RawWebSocket ws = handshake(port, "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(RANDOM.generateSeed(16)) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        if (ws.response.status() != 101) {
            ws.close();
            throw new IOException("Handshake answered " + ws.response);
        }
        return ws;
    }

    /** Sends {@code request} as it is and reads the response's status line and headers. */
    public static RawWebSocket handshake(int port, String request) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        return new RawWebSocket(socket, new Response(status, headers), in);
    }

    public Response response() {
        return response;
    }

    /** A masked frame, as a client must send. */
    public void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        write(fin, rsv, opcode, payload, true);
    }

    public void send(int opcode, byte[] payload) throws IOException {
        write(true, 0, opcode, payload, true);
    }

    public void sendUnmasked(int opcode, byte[] payload) throws IOException {
        write(true, 0, opcode, payload, false);
    }

    /** A close frame with the given code and reason bytes. */
    public void sendClose(int code, byte[] reason) throws IOException {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        send(CLOSE, payload);
    }

    private void write(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0xF);
        int mask = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(mask | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(mask | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(mask | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] key = new byte[4];
            RANDOM.nextBytes(key);
            frame.writeBytes(key);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= key[i % 4];
            }
        }
        frame.writeBytes(body);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next frame from the server. */
    public Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((second & 0x80) != 0) {
            throw new IOException("The server masked a frame");
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0xF, payload);
    }

    /** The server's close frame, skipping any data or control frame before it. */
    public Frame awaitClose() throws IOException {
        for (Frame frame = read(); ; frame = read()) {
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
    }

    /** Whether the server closed the TCP connection (end of stream) within the timeout. */
    public boolean awaitEndOfStream() throws IOException {
        try {
            while (true) {
                read();
            }
        } catch (EOFException endOfStream) {
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("The connection closed during the handshake");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
