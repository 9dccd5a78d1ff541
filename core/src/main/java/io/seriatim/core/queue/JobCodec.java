package io.seriatim.core.queue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.seriatim.proto.v1.StoredJob;

/**
 * Between {@link NewJob}/{@link Job} and the stored Protobuf bytes ({@code StoredJob} in
 * {@code job.proto}). Every job Java submits is stored as {@link #encodeStored} writes it; a job
 * born inside Redis (a schedule's tick) is sent as its {@link #encodeBody body}, and the script
 * puts the same id and time fields in front (common.lua {@code new_job}). See
 * {@code docs/redis-layout.md}, "The stored job".
 */
public final class JobCodec {
    private JobCodec() {}

    /** Field 3 (payload) as Protobuf writes it: tag 0x1A, length, bytes. */
    private static final int PAYLOAD_TAG = 3 << 3 | 2;
    private static final byte ID_TAG = 1 << 3; // field 1, varint
    private static final byte TIME_TAG = 2 << 3; // field 2, varint

    /** The stored body of a job: its payload and headers as {@code StoredJob} fields 3 and 4. */
    public static byte[] encodeBody(NewJob job) {
        StoredJob.Builder b = StoredJob.newBuilder().setPayload(ByteString.copyFrom(job.payload()));
        if (!job.headers().isEmpty()) {
            b.putAllHeaders(job.headers());
        }
        return b.build().toByteArray();
    }

    /**
     * A whole stored job: id and submit time (fields 1 and 2) in front of the body, the same bytes
     * common.lua's {@code new_job} writes for a job a script stamps itself. A job without headers,
     * the common case, is written by hand: one exact-size array and one copy (the builder cost two
     * copies and a map per job on the gateway's hot path).
     */
    public static byte[] encodeStored(NewJob job, long id, long submittedAtMs) {
        int head = 2 + CodedOutputStream.computeUInt64SizeNoTag(id) + CodedOutputStream.computeUInt64SizeNoTag(submittedAtMs);
        byte[] body = job.headers().isEmpty() ? null : encodeBody(job);
        byte[] out = new byte[head + (body == null ? payloadFieldSize(job.payload()) : body.length)];
        out[0] = ID_TAG;
        int pos = putVarint(out, 1, id);
        out[pos++] = TIME_TAG;
        pos = putVarint(out, pos, submittedAtMs);
        if (body == null) {
            putPayloadField(out, pos, job.payload());
        } else {
            System.arraycopy(body, 0, out, pos, body.length);
        }
        return out;
    }

    // Protobuf leaves an empty bytes field out.
    private static int payloadFieldSize(byte[] payload) {
        return payload.length == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(payload.length) + payload.length;
    }

    private static void putPayloadField(byte[] out, int pos, byte[] payload) {
        if (payload.length > 0) {
            out[pos] = PAYLOAD_TAG;
            System.arraycopy(payload, 0, out, putVarint(out, pos + 1, payload.length), payload.length);
        }
    }

    private static int putVarint(byte[] out, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
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
