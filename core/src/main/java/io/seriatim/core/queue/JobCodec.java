package io.seriatim.core.queue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.seriatim.proto.v1.StoredJob;

/**
 * Between {@link NewJob}/{@link Job} and the stored Protobuf bytes. The caller encodes only the
 * body (payload, headers); the enqueue script prepends id and time (see {@code job.proto}).
 */
public final class JobCodec {
    private JobCodec() {}

    /** Field 3 (payload) as Protobuf writes it: tag 0x1A, length, bytes. */
    private static final int PAYLOAD_TAG = 3 << 3 | 2;

    /**
     * The stored body of a job: its payload and headers as {@code StoredJob} fields 3 and 4. A job
     * without headers, the common case, is written by hand: one exact-size array and one copy
     * (the builder cost two copies and a map per job on the gateway's hot path).
     */
    public static byte[] encodeBody(NewJob job) {
        byte[] payload = job.payload();
        if (!job.headers().isEmpty()) {
            return encodeBody(ByteString.copyFrom(payload), job.headers());
        }
        if (payload.length == 0) {
            return new byte[0]; // Protobuf leaves an empty bytes field out
        }
        int len = payload.length;
        byte[] out = new byte[1 + CodedOutputStream.computeUInt32SizeNoTag(len) + len];
        out[0] = PAYLOAD_TAG;
        int pos = 1;
        while ((len & ~0x7F) != 0) {
            out[pos++] = (byte) (len & 0x7F | 0x80);
            len >>>= 7;
        }
        out[pos++] = (byte) len;
        System.arraycopy(payload, 0, out, pos, payload.length);
        return out;
    }

    /** The same from a payload already held as a ByteString, through the Protobuf builder. */
    public static byte[] encodeBody(ByteString payload, java.util.Map<String, String> headers) {
        StoredJob.Builder b = StoredJob.newBuilder().setPayload(payload);
        if (!headers.isEmpty()) {
            b.putAllHeaders(headers);
        }
        return b.build().toByteArray();
    }

    public static Job decode(byte[] stored, String key, int attempt) {
        try {
            StoredJob s = StoredJob.parseFrom(stored);
            return new Job(s.getId(), key, s.getPayload().toByteArray(), s.getHeadersMap(), s.getSubmittedAtMs(),
                    attempt);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored job of key '" + key + "' is not a StoredJob", e);
        }
    }
}
