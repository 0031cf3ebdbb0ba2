package dev.websocketecho.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load: WebSocket clients on Netty with native epoll, cheap enough to share two cores with the server. Latencies go
 * into an HdrHistogram {@link Recorder} in microseconds; the generator's own CPU time is measured so that a result bound
 * by the client can be recognised. Every run is bounded in time and stops by itself.
 */
final class Load implements AutoCloseable {

    static final int MAX_FRAME = 1 << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WARM_UP = Duration.ofSeconds(3);

    /**
     * What one run measured. {@code wrong}: echoes and fan-out deliveries that were not the bytes sent, which the
     * latencies leave out, and {@code firstWrong} the first bytes of the first of them in hex.
     */
    record Result(long messages, Duration elapsed, Histogram micros, long clientCpuNanos, long wrong,
                  String firstWrong) {
        double perSecond() {
            return messages / (elapsed.toNanos() / 1e9);
        }

        double clientCpuMicrosPerMessage() {
            return messages == 0 ? 0 : clientCpuNanos / 1e3 / messages;
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final URI uri;

    Load(URI uri) {
        this.uri = uri;
    }

    /**
     * Closed loop: each connection sends a message, waits for its echo and sends the next, for {@code duration}.
     *
     * @param binary a binary message of {@code size} bytes rather than text
     */
    Result closedLoop(int connections, int size, boolean binary, Duration duration) throws Exception {
        ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(pattern(size)));
        Window window = new Window();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Channel> channels = connect(connections, () -> new TimedConnection(window, payload) {
            @Override
            void start(ChannelHandlerContext context) {
                sendNext(context);
            }

            @Override
            void echoed(ChannelHandlerContext context) {
                if (running.get()) {
                    sendNext(context);
                }
            }

            private void sendNext(ChannelHandlerContext context) {
                ByteBuf data = payload.retainedDuplicate();
                send(context, binary ? new BinaryWebSocketFrame(data) : new TextWebSocketFrame(data));
            }
        });
        return measureThenStop(duration, window, running, channels);
    }

    /**
     * Open loop: each connection sends a 32-byte text message {@code perSecond} times a second on a fixed schedule,
     * whether or not its earlier echoes have come back. Each echo is timed from when its message was due, not from
     * when it was written, so a server that falls behind cannot hide its delay (no coordinated omission).
     */
    Result openLoop(int connections, double perSecond, List<String> sourceAddresses, Duration duration)
            throws Exception {
        ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(32).writeBytes(pattern(32)));
        long periodNanos = (long) (1e9 / perSecond);
        Window window = new Window();
        List<Channel> channels = connect(connections, sourceAddresses, () -> new SimpleChannelInboundHandler<>() {
            // Due times of the messages whose echoes are outstanding; only the channel's event loop touches them.
            private final ArrayDeque<Long> due = new ArrayDeque<>();
            private long first;
            private long sent;

            @Override
            public void userEventTriggered(ChannelHandlerContext context, Object event) {
                if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    first = System.nanoTime() + ThreadLocalRandom.current().nextLong(periodNanos);
                    context.executor().scheduleAtFixedRate(() -> sendDue(context), first - System.nanoTime(),
                            periodNanos, TimeUnit.NANOSECONDS);
                }
                context.fireUserEventTriggered(event);
            }

            /** Sends every message that is due by now, so that a late tick of the schedule loses none. */
            private void sendDue(ChannelHandlerContext context) {
                long now = System.nanoTime();
                while (first + sent * periodNanos <= now && context.channel().isActive()) {
                    due.add(first + sent * periodNanos);
                    sent++;
                    context.writeAndFlush(new TextWebSocketFrame(payload.retainedDuplicate()));
                }
            }

            @Override
            protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
                Long dueAt = due.poll();
                if (dueAt != null) {
                    window.recordEcho(dueAt, frame, payload);
                }
            }
        });
        try {
            return measure(duration, window);
        } finally {
            close(channels);
        }
    }

    /**
     * Fan-out: {@code subscribers} subscribers of one topic (this load's URI) and one publisher, which keeps
     * {@code inFlight} messages on their way: a message counts as on its way until as many deliveries have arrived as
     * there are subscribers. Each message is 32 bytes of binary that start with the time it was published, and each
     * delivery is timed from then. Every connection runs on the one event loop, so the counts need no locks.
     */
    Result fanOut(int subscribers, int inFlight, Duration duration) throws Exception {
        Window window = new Window();
        AtomicBoolean running = new AtomicBoolean(true);
        long[] published = {0};
        long[] delivered = {0};
        AtomicReference<ChannelHandlerContext> publisher = new AtomicReference<>();
        Runnable publishWhatIsDue = () -> {
            ChannelHandlerContext context = publisher.get();
            while (running.get() && context != null && published[0] - delivered[0] / subscribers < inFlight) {
                ByteBuf message = Unpooled.buffer(32).writeLong(System.nanoTime()).writeBytes(pattern(24));
                context.writeAndFlush(new BinaryWebSocketFrame(message));
                published[0]++;
            }
        };
        List<Channel> channels = new ArrayList<>(connect(subscribers, () -> new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
                if (frame instanceof BinaryWebSocketFrame) {
                    window.recordDelivery(frame.content());
                    delivered[0]++;
                    publishWhatIsDue.run();
                }
            }
        }));
        channels.addAll(connect(1, () -> new Publisher() {
            @Override
            public void userEventTriggered(ChannelHandlerContext context, Object event) {
                if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    publisher.set(context);
                    publishWhatIsDue.run();
                }
                context.fireUserEventTriggered(event);
            }

        }));
        return measureThenStop(duration, window, running, channels);
    }

    /**
     * Fan-out at a fixed rate, across instances: {@code subscribersEach} subscribers of one topic on each of
     * {@code topicUris} (the instances of a cluster, or one server) and one publisher on the first, which publishes
     * {@code perSecond} messages a second on a fixed schedule. Each message is 32 bytes of binary that start with the
     * time it was due, and each delivery is timed from then, so a server that falls behind cannot hide its delay.
     */
    Result fanOutAtRate(List<URI> topicUris, int subscribersEach, double perSecond, Duration duration)
            throws Exception {
        Window window = new Window();
        long periodNanos = (long) (1e9 / perSecond);
        List<Channel> channels = new ArrayList<>();
        for (URI topic : topicUris) {
            channels.addAll(connect(topic, subscribersEach, List.of(), () -> new SimpleChannelInboundHandler<>() {
                @Override
                protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
                    if (frame instanceof BinaryWebSocketFrame) {
                        window.recordDelivery(frame.content());
                    }
                }
            }));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        channels.addAll(connect(topicUris.get(0), 1, List.of(), () -> new Publisher() {
            private long first;
            private long sent;

            @Override
            public void userEventTriggered(ChannelHandlerContext context, Object event) {
                if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    first = System.nanoTime();
                    context.executor().scheduleAtFixedRate(() -> publishDue(context), 0, periodNanos,
                            TimeUnit.NANOSECONDS);
                }
                context.fireUserEventTriggered(event);
            }

            /** Publishes every message that is due by now, so that a late tick of the schedule loses none. */
            private void publishDue(ChannelHandlerContext context) {
                long now = System.nanoTime();
                while (running.get() && first + sent * periodNanos <= now && context.channel().isActive()) {
                    ByteBuf message = Unpooled.buffer(32).writeLong(first + sent * periodNanos)
                            .writeBytes(pattern(24));
                    context.writeAndFlush(new BinaryWebSocketFrame(message));
                    sent++;
                }
            }

        }));
        return measureThenStop(duration, window, running, channels);
    }

    /** A fan-out's publisher: its own messages come back to it as to any subscriber, and are not counted. */
    private abstract static class Publisher extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
        }
    }

    /** Measures, then stops whatever {@code running} drives and closes the connections. */
    private Result measureThenStop(Duration duration, Window window, AtomicBoolean running, List<Channel> channels)
            throws InterruptedException, IOException {
        try {
            return measure(duration, window);
        } finally {
            running.set(false);
            close(channels);
        }
    }

    /** Opens and closes connections, {@code concurrency} at a time: complete handshakes per second. */
    Result handshakes(int concurrency, Duration duration) throws Exception {
        Window window = new Window();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch stopped = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            handshakeLoop(running, window, stopped);
        }
        try {
            return measure(duration, window);
        } finally {
            running.set(false);
            stopped.await(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private void handshakeLoop(AtomicBoolean running, Window window, CountDownLatch stopped) {
        if (!running.get()) {
            stopped.countDown();
            return;
        }
        long started = System.nanoTime();
        bootstrap(null, () -> new SimpleChannelInboundHandler<WebSocketFrame>() {
            @Override
            public void userEventTriggered(ChannelHandlerContext context, Object event) {
                if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    window.record(started);
                    context.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(done -> context.close());
                }
                context.fireUserEventTriggered(event);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
            }
        }).connect(new InetSocketAddress(uri.getHost(), uri.getPort())).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                handshakeLoop(running, window, stopped);
                return;
            }
            connected.channel().closeFuture().addListener(closed -> handshakeLoop(running, window, stopped));
        });
    }

    /**
     * Says CONNECTED and waits for a line on standard input (or its end), so that the benchmark can look at the server
     * with every connection open; then warms up and measures.
     */
    private Result measure(Duration duration, Window window) throws InterruptedException, IOException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("CONNECTED");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        // Unmeasured first: this process is new, and its code must be compiled before it is cheap.
        Thread.sleep(WARM_UP.toMillis());
        window.latencies.reset();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        window.measuring.set(true);
        // The benchmark reads the server's CPU time when it sees these lines.
        System.out.println("MEASURING");
        Thread.sleep(duration.toMillis());
        window.measuring.set(false);
        long elapsed = System.nanoTime() - started;
        System.out.println("MEASURED");
        long cpu = os.getProcessCpuTime() - cpuBefore;
        return new Result(window.count.get(), Duration.ofNanos(elapsed), window.latencies.getIntervalHistogram(), cpu,
                window.wrong.get(), window.firstWrong);
    }

    /** What happens while the measurement window is open: how many, and how long each took. */
    private static final class Window {
        private final AtomicBoolean measuring = new AtomicBoolean();
        private final AtomicLong count = new AtomicLong();
        private final Recorder latencies = new Recorder(3);
        private final AtomicLong wrong = new AtomicLong();
        private volatile String firstWrong;

        /** Counts something that began at {@code startedNanos} and is done now, if the window is open. */
        void record(long startedNanos) {
            if (measuring.get()) {
                latencies.recordValue((System.nanoTime() - startedNanos) / 1000);
                count.incrementAndGet();
            }
        }

        /** Counts a fan-out delivery, timed from the time in its first 8 bytes, if it is the 32 bytes published. */
        void recordDelivery(ByteBuf content) {
            if (content.readableBytes() != 32 || !ByteBufUtil.equals(content, 8, PUBLISHED_TAIL, 0, 24)) {
                wrong(content);
                return;
            }
            record(content.getLong(0));
        }

        /**
         * Counts an echo, timed from {@code startedNanos}, unless it came back whole as other bytes than were sent. A
         * server may split an echo into several frames; those are timed as they are, unchecked.
         */
        void recordEcho(long startedNanos, WebSocketFrame frame, ByteBuf sent) {
            boolean whole = frame.isFinalFragment() && !(frame instanceof ContinuationWebSocketFrame);
            if (whole && !ByteBufUtil.equals(frame.content(), sent)) {
                wrong(frame.content());
                return;
            }
            record(startedNanos);
        }

        private void wrong(ByteBuf content) {
            if (wrong.incrementAndGet() == 1) {
                firstWrong = ByteBufUtil.hexDump(content, content.readerIndex(), Math.min(64, content.readableBytes()));
            }
        }
    }

    /** A connection that starts sending once its handshake is done and times each echo from its message's write. */
    private abstract static class TimedConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Window window;
        private final ByteBuf payload;
        private long sentAt;

        /** @param payload what each message carries, and so each echo */
        TimedConnection(Window window, ByteBuf payload) {
            this.window = window;
            this.payload = payload;
        }

        abstract void start(ChannelHandlerContext context);

        void echoed(ChannelHandlerContext context) {
        }

        final void send(ChannelHandlerContext context, WebSocketFrame frame) {
            sentAt = System.nanoTime();
            context.writeAndFlush(frame);
        }

        @Override
        public final void userEventTriggered(ChannelHandlerContext context, Object event) {
            if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                start(context);
            }
            context.fireUserEventTriggered(event);
        }

        @Override
        protected final void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
            window.recordEcho(sentAt, frame, payload);
            echoed(context);
        }
    }

    private interface HandlerFactory {
        SimpleChannelInboundHandler<WebSocketFrame> create();
    }

    private List<Channel> connect(int connections, HandlerFactory handlers) throws InterruptedException {
        return connect(uri, connections, List.of(), handlers);
    }

    private List<Channel> connect(int connections, List<String> sourceAddresses, HandlerFactory handlers)
            throws InterruptedException {
        return connect(uri, connections, sourceAddresses, handlers);
    }

    /** Opens the connections, at most 256 handshakes at a time, spread over the given source addresses. */
    private List<Channel> connect(URI target, int connections, List<String> sourceAddresses, HandlerFactory handlers)
            throws InterruptedException {
        List<Channel> channels = new ArrayList<>(connections);
        Semaphore inFlight = new Semaphore(256);
        CountDownLatch settled = new CountDownLatch(connections);
        AtomicLong failures = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        for (int i = 0; i < connections; i++) {
            if (!inFlight.tryAcquire(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                close(channels);
                throw new IllegalStateException("Handshakes stalled after " + i + " connections");
            }
            InetSocketAddress local = sourceAddresses.isEmpty() ? null
                    : new InetSocketAddress(sourceAddresses.get(i % sourceAddresses.size()), 0);
            AtomicBoolean done = new AtomicBoolean();
            Runnable handshaken = () -> {
                if (done.compareAndSet(false, true)) {
                    inFlight.release();
                    settled.countDown();
                }
            };
            Runnable failed = () -> {
                if (done.compareAndSet(false, true)) {
                    failures.incrementAndGet();
                    inFlight.release();
                    settled.countDown();
                }
            };
            ChannelFuture future = bootstrap(target, handshaken, handlers)
                    .connect(new InetSocketAddress(target.getHost(), target.getPort()), local);
            future.addListener((ChannelFuture connected) -> {
                if (!connected.isSuccess()) {
                    firstFailure.compareAndSet(null, connected.cause());
                    failed.run();
                }
            });
            future.channel().closeFuture().addListener(closed -> failed.run());
            channels.add(future.channel());
        }
        if (!settled.await(CONNECT_TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS) || failures.get() > 0) {
            close(channels);
            throw new IllegalStateException(failures.get() + " of " + connections + " connections failed, "
                    + settled.getCount() + " unsettled; the first failure: " + firstFailure.get());
        }
        return channels;
    }

    private Bootstrap bootstrap(Runnable onHandshake, HandlerFactory handlers) {
        return bootstrap(uri, onHandshake, handlers);
    }

    private Bootstrap bootstrap(URI target, Runnable onHandshake, HandlerFactory handlers) {
        return new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(target)
                                        .maxFramePayloadLength(MAX_FRAME)
                                        .handshakeTimeoutMillis(CONNECT_TIMEOUT.toMillis())
                                        .build()));
                        if (onHandshake != null) {
                            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext context, Object event) {
                                    if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                        onHandshake.run();
                                    }
                                    context.fireUserEventTriggered(event);
                                }
                            });
                        }
                        channel.pipeline().addLast(handlers.create());
                    }
                });
    }

    private static void close(List<Channel> channels) throws InterruptedException {
        // A channel that could not even be registered (no file descriptor left, say) has nothing to close.
        List<Channel> registered = channels.stream().filter(Channel::isRegistered).toList();
        for (Channel channel : registered) {
            channel.close();
        }
        for (Channel channel : registered) {
            channel.closeFuture().await(CONNECT_TIMEOUT.toMillis());
        }
    }

    /** The 24 bytes after the time in each fan-out message. */
    private static final ByteBuf PUBLISHED_TAIL = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(pattern(24)));

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
