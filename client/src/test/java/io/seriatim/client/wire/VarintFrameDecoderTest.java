package io.seriatim.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VarintFrameDecoderTest {

    static ByteBuf bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return Unpooled.wrappedBuffer(out);
    }

    static String text(ByteBuf frame) {
        try {
            return frame.toString(StandardCharsets.US_ASCII);
        } finally {
            frame.release();
        }
    }

    @Test
    void framesThatArriveInPiecesComeOutWholeAndInOrder() {
        VarintFrameDecoder decoder = new VarintFrameDecoder(100);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(bytes(2, 'a'));
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(decoder.midFrame()).isTrue();
        ch.writeInbound(bytes('b', 1, 'c', 0));
        assertThat(text(ch.readInbound())).isEqualTo("ab");
        assertThat(text(ch.readInbound())).isEqualTo("c");
        assertThat(text(ch.readInbound())).isEmpty();
        assertThat(decoder.midFrame()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aFrameExactlyAtTheLimitPasses() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(3));
        ch.writeInbound(bytes(3, 'x', 'y', 'z'));
        assertThat(text(ch.readInbound())).isEqualTo("xyz");
    }

    @Test
    void aLengthOverTheLimitIsRefusedFromThePrefixAloneAndTheRestIsDropped() {
        VarintFrameDecoder decoder = new VarintFrameDecoder(100);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        // 0xFF 0xFF 0xFF 0xFF 0x07 announces 2^31 - 1 bytes; none of them follows.
        assertThatThrownBy(() -> ch.writeInbound(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07)))
                .isInstanceOf(TooLongFrameException.class)
                .hasMessage("frame of 2147483647 bytes is over the limit of 100");
        ch.writeInbound(bytes(1, 'a'));
        assertThat(ch.<Object>readInbound()).as("no frame boundaries after a bad prefix").isNull();
        assertThat(decoder.midFrame()).isFalse();
    }

    @Test
    void aPrefixOfMoreThanFiveBytesIsCorrupt() {
        EmbeddedChannel ch = new EmbeddedChannel(new VarintFrameDecoder(100));
        assertThatThrownBy(() -> ch.writeInbound(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)))
                .isInstanceOf(CorruptedFrameException.class)
                .hasMessage("frame length prefix is not a varint32 (more than 31 bits or 5 bytes)");
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> new VarintFrameDecoder(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameBytes must be >= 0, got -1");
    }
}
