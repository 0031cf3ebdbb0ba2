package dev.websocketecho.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on a plain socket, with its own frame writer and reader, so that tests can send what no
 * well-behaved client library would: unmasked frames, reserved bits and opcodes, broken UTF-8, bad close frames.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    /** The header line with which browsers offer permessage-deflate (RFC 7692), for {@link #upgradeRequest}. */
    public static final String DEFLATE_OFFER =
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
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
    private volatile BlockingQueue<Object> inbox;
    /** Payload bytes still owed to a frame begun with {@link #startFrame}; guarded by this. */
    private long owed;

    private RawWebSocket(Socket socket, Response response, InputStream in) throws IOException {
        this.socket = socket;
        this.response = response;
        this.in = new DataInputStream(in);
        this.out = socket.getOutputStream();
    }

    /** Opens a connection and performs a correct handshake; fails unless the server switches protocols. */
    public static RawWebSocket open(int port, String path) throws IOException {
        return open(new Socket(), port, path);
    }

    /**
     * The same through a socket of the caller's, such as one bound to another loopback address
     * ({@link #socketFrom}) or with a small receive buffer.
     */
    public static RawWebSocket open(Socket socket, int port, String path) throws IOException {
        RawWebSocket ws = handshake(socket, port, upgradeRequest(port, path));
        if (ws.response.status() != 101) {
            ws.close();
            throw new IOException("Handshake answered " + ws.response);
        }
        return ws;
    }

    /** A correct opening handshake for {@code path}. */
    public static String upgradeRequest(int port, String path) {
        return upgradeRequest(port, path, "");
    }

    /** The same with further header lines, each ending in CRLF. */
    public static String upgradeRequest(int port, String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(RANDOM.generateSeed(16)) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + headers + "\r\n";
    }

    /** A socket that will connect from {@code localAddress}, such as 127.0.0.2: loopback is all of 127.0.0.0/8. */
    public static Socket socketFrom(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        return socket;
    }

    /** Sends {@code request} as it is and reads the response's status line and headers. */
    public static RawWebSocket handshake(int port, String request) throws IOException {
        return handshake(new Socket(), port, request);
    }

    public static RawWebSocket handshake(Socket socket, int port, String request) throws IOException {
        try {
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
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            return new RawWebSocket(socket, new Response(status, headers), in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Response response() {
        return response;
    }

    /** The body of a response that did not switch protocols, by its {@code Content-Length} or up to its end. */
    public String body() throws IOException {
        String length = response.headers().get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new String(body, StandardCharsets.UTF_8);
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

    /**
     * The header of a masked frame of {@code length} bytes, whose payload follows by {@link #sendPayload}: a frame can
     * be sent in part, as a slow or hostile peer does. Its mask is all zeros, so the payload goes out as it is.
     */
    public synchronized void startFrame(boolean fin, int rsv, int opcode, long length) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(14);
        header.put((byte) ((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0xF));
        header.put((byte) (0x80 | 127));
        header.putLong(length);
        header.putInt(0);
        out.write(header.array());
        out.flush();
        owed = length;
    }

    public synchronized void sendPayload(byte[] bytes, int offset, int length) throws IOException {
        owed -= length;
        out.write(bytes, offset, length);
        out.flush();
    }

    /** A close frame with the given code and reason bytes. */
    public void sendClose(int code, byte[] reason) throws IOException {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        send(CLOSE, payload);
    }

    /**
     * From now on a thread of this client reads the server's frames and answers each ping with a pong, as a browser
     * does, so that a connection held open by a test is not closed as idle; {@link #read()} returns the other frames.
     */
    public RawWebSocket answeringPings() {
        BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            while (true) {
                try {
                    Frame frame = readFrame();
                    if (frame.opcode() == PING) {
                        answer(frame);
                    } else {
                        frames.add(frame);
                    }
                } catch (SocketTimeoutException quiet) {
                    // Nothing to read yet: keep listening.
                } catch (IOException ended) {
                    frames.add(ended);
                    return;
                }
            }
        }, "raw-websocket-reader");
        reader.setDaemon(true);
        inbox = frames;
        reader.start();
        return this;
    }

    /**
     * Answers a ping unless a frame is half sent: no control frame may stand inside another frame, so such a peer, like
     * any client, answers only once its frame is done (here: not at all). A failed pong is no reason to stop reading:
     * the server may have closed the connection while the test was still sending, and its close frame is still to be
     * read.
     */
    private synchronized void answer(Frame ping) {
        if (owed > 0) {
            return;
        }
        try {
            write(true, 0, PONG, ping.payload(), true);
        } catch (IOException closed) {
            // Whatever ended the connection shows when the next frame is read.
        }
    }

    private synchronized void write(boolean fin, int rsv, int opcode, byte[] payload, boolean masked)
            throws IOException {
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
        if (inbox == null) {
            return readFrame();
        }
        Object next;
        try {
            next = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
        if (next == null) {
            throw new SocketTimeoutException("No frame within " + TIMEOUT);
        }
        if (next instanceof IOException ended) {
            inbox.add(ended);
            throw ended;
        }
        return (Frame) next;
    }

    /** The next frame that is not one of the server's own pings, which its heartbeat may send at any moment. */
    public Frame readSkippingPings() throws IOException {
        for (Frame frame = read(); ; frame = read()) {
            if (frame.opcode() != PING) {
                return frame;
            }
        }
    }

    private Frame readFrame() throws IOException {
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

    /**
     * The server's close frame if it comes within {@code within}, skipping any frame before it, or {@code null}; only
     * once {@link #answeringPings()} reads the server's frames.
     */
    public Frame awaitClose(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                Object next = inbox.poll(left, TimeUnit.NANOSECONDS);
                if (next instanceof IOException ended) {
                    inbox.add(ended);
                    throw ended;
                }
                if (next instanceof Frame frame && frame.opcode() == CLOSE) {
                    return frame;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    /**
     * Reads whatever the server sends for {@code period} and answers nothing, as a peer does that leaves soon after
     * the handshake.
     */
    public void lingerFor(Duration period) throws IOException {
        long deadline = System.nanoTime() + period.toNanos();
        for (long left = period.toMillis(); left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
            socket.setSoTimeout((int) left);
            try {
                readFrame();
            } catch (SocketTimeoutException over) {
                return;
            }
        }
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

    /** Makes {@link #close()} reset the connection ({@code SO_LINGER} 0), as a crashed client's would be. */
    public void resetOnClose() throws IOException {
        socket.setSoLinger(true, 0);
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
