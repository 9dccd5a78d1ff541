package io.seriatim.core.queue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.seriatim.proto.v1.StoredJob;

/**
 * Between {@link NewJob}/{@link Job} and the stored Protobuf bytes. The caller encodes only the
 * body (payload, headers); the enqueue script prepends id and time (see {@code job.proto}).
 */
public final class JobCodec {
    private JobCodec() {}

    public static byte[] encodeBody(NewJob job) {
        return encodeBody(ByteString.copyFrom(job.payload()), job.headers());
    }

    /** The same from a payload already held as a ByteString (no copy): the gateway's path. */
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
