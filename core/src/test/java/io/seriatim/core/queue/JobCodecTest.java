package io.seriatim.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.seriatim.proto.v1.StoredJob;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobCodecTest {
    @Test
    void aPayloadWrittenByHandIsTheBytesProtobufWrites() throws Exception {
        long seed = System.nanoTime();
        System.out.println("JobCodecTest seed " + seed);
        Random random = new Random(seed);
        // Each length where the payload's length prefix grows by a byte, and either side of it.
        for (int len : new int[] {0, 1, 127, 128, 129, 16_383, 16_384, 2_097_151, 2_097_152}) {
            byte[] payload = new byte[len];
            random.nextBytes(payload);
            byte[] stored = JobCodec.encodeStored(NewJob.of(payload), 1025, 7);
            assertThat(stored).as("payload of %d bytes", len).isEqualTo(StoredJob.newBuilder().setId(1025)
                    .setSubmittedAtMs(7).setPayload(ByteString.copyFrom(payload)).build().toByteArray());
            assertThat(StoredJob.parseFrom(stored).getPayload().toByteArray()).isEqualTo(payload);
        }
    }

    @Test
    void aStoredJobWrittenByHandIsTheBytesProtobufWrites() throws Exception {
        long[] ids = {1025, 1L << 20, (1L << 53) - 1};
        for (long id : ids) {
            for (byte[] payload : new byte[][] {{}, {7}, new byte[300]}) {
                byte[] stored = JobCodec.encodeStored(NewJob.of(payload), id, 1_763_900_000_123L);
                assertThat(stored).isEqualTo(StoredJob.newBuilder().setId(id).setSubmittedAtMs(1_763_900_000_123L)
                        .setPayload(ByteString.copyFrom(payload)).build().toByteArray());
            }
        }
        byte[] withHeaders = JobCodec.encodeStored(new NewJob(new byte[] {1}, Map.of("h", "v")), 2048, 5);
        StoredJob parsed = StoredJob.parseFrom(withHeaders);
        assertThat(parsed.getId()).isEqualTo(2048);
        assertThat(parsed.getSubmittedAtMs()).isEqualTo(5);
        assertThat(parsed.getHeadersMap()).containsExactly(Map.entry("h", "v"));
    }

    @Test
    void aBodyWithHeadersKeepsThem() throws Exception {
        byte[] body = JobCodec.encodeBody(new NewJob(new byte[] {1, 2}, Map.of("trace", "abc", "tenant", "")));
        StoredJob parsed = StoredJob.parseFrom(body);
        assertThat(parsed.getPayload().toByteArray()).containsExactly(1, 2);
        assertThat(parsed.getHeadersMap()).containsOnly(Map.entry("trace", "abc"), Map.entry("tenant", ""));
    }
}
