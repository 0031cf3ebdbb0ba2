package dev.websocketecho.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference: a minimal WebSocket server on Netty with native epoll, what the JVM can do on this machine. At
 * {@code /echo} it echoes text and binary frames as they are; at {@code /topics/{topic}} it writes each frame to every
 * connection of that topic, the sender included, through a {@link ChannelGroup}; it answers pings and closes, and does
 * nothing else. Run in a process of its own: {@code NettyEchoServer PORT}; it listens on 127.0.0.1 until it is killed.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(8192),
                                    new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                            .websocketPath("/").checkStartsWith(true)
                                            .maxFramePayloadLength(Load.MAX_FRAME).build()),
                                    new EchoOrBroadcast());
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel();
            server.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    /** Echoes on {@code /echo}; on a topic's path, writes to every connection of the topic. */
    private static final class EchoOrBroadcast extends SimpleChannelInboundHandler<WebSocketFrame> {
        private static final Map<String, ChannelGroup> TOPICS = new ConcurrentHashMap<>();
        private ChannelGroup topic;

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake
                    && handshake.requestUri().startsWith("/topics/")) {
                topic = TOPICS.computeIfAbsent(handshake.requestUri(),
                        name -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
                topic.add(context.channel());
            }
            context.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                if (topic == null) {
                    context.writeAndFlush(frame.retain());
                } else {
                    topic.writeAndFlush(frame.retain());
                }
            }
        }
    }
}
