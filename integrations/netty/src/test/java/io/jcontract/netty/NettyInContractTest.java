package io.jcontract.netty;

import io.jcontract.testkit.ServerCycles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A real Netty 4 NIO HTTP server, started by unmodified code inside a contract
 * under the agent, killed without any stop call (issue 12, "What it must show").
 * The server code is the usual bootstrap, including its own
 * {@code finally { shutdownGracefully() }}, which runs in a killed member.
 */
@Timeout(180)
class NettyInContractTest {
    static final int CYCLES = 20, REQUESTS = 50;

    static void serve(CompletableFuture<Integer> port) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.OK,
                                                    Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
                                            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
                                            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                                            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                                        }
                                    });
                        }
                    });
            Channel ch = b.bind("127.0.0.1", 0).sync().channel();
            port.complete(((InetSocketAddress) ch.localAddress()).getPort());
            ch.closeFuture().sync();
        } catch (Throwable t) {
            port.completeExceptionally(t);
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    @Test
    void nioServer() throws Exception {
        List<Double> ms = ServerCycles.run("netty-nio", CYCLES, REQUESTS, "hello", NettyInContractTest::serve);
        System.out.println("[netty-nio] kill to EMPTY (ms): " + ms);
    }
}
