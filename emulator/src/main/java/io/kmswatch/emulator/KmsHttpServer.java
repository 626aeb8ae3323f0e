package io.kmswatch.emulator;

import com.sun.net.httpserver.Headers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's HTTP transport, on Netty: HTTP/1.1 with keep-alive on {@code threads} event loops. A request is
 * read whole, answered by the {@link RequestPipeline} (which holds the wire protocol: SigV4, identity, dispatch,
 * refusal audit, errors, LookupEvents, health) and written back, all on the event loop of its connection with no
 * hand-off between threads, so a busy loop stops reading its connections until it is done (back-pressure
 * instead of a queue). A body over {@code maxBodyBytes} gets KMS's 413 without being read further. Connections
 * idle for {@value #IDLE_SECONDS} s are closed. The response carries the pipeline's status, {@code
 * x-amzn-RequestId} and, for errors, {@code x-amzn-ErrorType}.
 */
public final class KmsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KmsHttpServer.class);
    public static final String CONTENT_TYPE = RequestPipeline.CONTENT_TYPE;
    /** Header with which a configured service principal says it calls on behalf of an AWS service. */
    public static final String VIA_SERVICE_HEADER = RequestPipeline.VIA_SERVICE_HEADER;
    /** Seconds after which a connection with no request in flight is closed. */
    public static final int IDLE_SECONDS = 30;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final RequestPipeline pipeline;

    KmsHttpServer(EmulatorConfig config, RequestPipeline pipeline) throws IOException {
        this.pipeline = pipeline;
        int maxBody = config.maxBodyBytes();
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("kms-emulator-accept", true));
        this.workers = new NioEventLoopGroup(config.threads(), new DefaultThreadFactory("kms-emulator", true));
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                                new HttpServerCodec(8192, MAX_HEADER_BYTES, 64 * 1024),
                                new Aggregator(maxBody), new RequestHandler());
                    }
                });
        ChannelFuture bound = b.bind(new InetSocketAddress(config.bind(), config.port())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownGroups();
            Throwable cause = bound.cause();
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
        this.channel = bound.channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Reads each request whole, then has the pipeline answer it on the same thread. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            Headers headers = new Headers();
            for (Map.Entry<String, String> h : req.headers()) {
                headers.add(h.getKey(), h.getValue());
            }
            ByteBuf content = req.content();
            byte[] body = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), body);
            // the body may hold a plaintext or data key in base64: no copy of it outlives the request
            content.setZero(0, content.capacity());
            WireRequest request = WireRequest.of(req.method().name(), req.uri(), headers,
                    (InetSocketAddress) ctx.channel().remoteAddress(), body);
            write(ctx, pipeline.handle(request), HttpUtil.isKeepAlive(req));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Collects a request's body up to the limit; a larger one is answered with KMS's 413 without being
     * read further (Netty drops the rest of its body and keeps a keep-alive connection usable).
     */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxBody) {
            super(maxBody);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            boolean close = !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
            write(ctx, pipeline.tooLarge(oversized.headers().get("X-Amz-Target")), !close);
        }

        /** A request that announced a too-large body and waits for 100 Continue gets KMS's 413 instead. */
        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline channels) {
            if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
                start.headers().remove(HttpHeaderNames.EXPECT);
                return response(pipeline.tooLarge(start.headers().get("X-Amz-Target")), true);
            }
            return super.newContinueResponse(start, maxContentLength, channels);
        }
    }

    /** Writes a response; its body is zeroed once written (it may hold a plaintext or data key). */
    private static void write(ChannelHandlerContext ctx, WireResponse answer, boolean keepAlive) {
        ctx.writeAndFlush(response(answer, keepAlive)).addListener((ChannelFutureListener) f -> {
            answer.clearBody();
            if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            }
        });
    }

    private static FullHttpResponse response(WireResponse answer, boolean keepAlive) {
        byte[] body = answer.body();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set("x-amzn-RequestId", answer.requestId())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (answer.errorType() != null) {
            r.headers().set("x-amzn-ErrorType", answer.errorType());
        }
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
    }

    private void shutdownGroups() {
        var bossDone = boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(6, TimeUnit.SECONDS);
        bossDone.awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
