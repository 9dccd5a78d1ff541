package io.seriatim.client.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * The protocol's framing (see docs/protocol.md): splits the stream into frames of a varint32
 * length prefix and that many bytes, refusing a length over the limit as soon as the prefix is
 * read, before any byte of the frame is buffered. Netty's own varint decoder has no limit, so a
 * peer could make us allocate 2 GiB with five bytes. A prefix longer than 5 bytes, or one that
 * does not fit in 31 bits, is corrupt.
 *
 * <p>Both ends use it: the Java producer bounds the answers it accepts, the gateway the submits.
 * It lives in the client artifact because it is the protocol's, and the client may depend on
 * nothing of Seriatim's but proto; it is the only part of the client the gateway uses.
 *
 * <p>A bad prefix raises {@link TooLongFrameException} or {@link CorruptedFrameException} down
 * the pipeline; the handler behind it decides what to tell the peer and closes the connection.
 *
 * <p>Not sharable: it holds the partial frame of its one channel, on that channel's event loop.
 */
public final class VarintFrameDecoder extends ByteToMessageDecoder {
    private int maxFrameBytes;
    /** After a bad prefix the stream has no frame boundaries left: everything else is dropped. */
    private boolean failed;

    /** @param maxFrameBytes the longest frame accepted, in bytes (the prefix not counted); at least 0 */
    public VarintFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 0, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** True while bytes of an incomplete frame are buffered: the gateway's slow-sender deadline watches it. */
    public boolean midFrame() {
        return !failed && actualReadableBytes() > 0;
    }

    /** Bytes buffered of frames not yet complete: what the gateway counts against its memory budgets. */
    public int bufferedBytes() {
        return failed ? 0 : actualReadableBytes();
    }

    /**
     * Changes the limit for the frames after the current one: the gateway takes only small frames
     * before Hello, the full limit after. Call on the channel's event loop.
     */
    public void maxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 0, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        in.markReaderIndex();
        int length = 0;
        int shift = 0;
        for (int i = 0; ; i++) {
            if (!in.isReadable()) {
                in.resetReaderIndex();
                return;
            }
            byte b = in.readByte();
            if (i == 4 && (b & 0xF8) != 0) {
                failed = true;
                throw new CorruptedFrameException("frame length prefix is not a varint32 (more than 31 bits or 5 bytes)");
            }
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (length > maxFrameBytes) {
            failed = true;
            throw new TooLongFrameException("frame of " + length + " bytes is over the limit of " + maxFrameBytes);
        }
        if (in.readableBytes() < length) {
            in.resetReaderIndex();
            return;
        }
        out.add(in.readRetainedSlice(length));
    }
}
