package io.seriatim.gateway;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.seriatim.proto.v1.Envelope;
import java.io.IOException;
import java.util.List;

/**
 * Parses each frame into an {@link Envelope}, but first counts the jobs of a SubmitBatch without
 * building any of them: a 16 MiB frame can hold 8 million empty jobs, whose parse alone takes
 * gigabytes. A batch over maxBatchJobs becomes an {@link OversizedBatch} (its request id and
 * count), which the session refuses with one small answer. A frame the count cannot read is
 * parsed as usual, which says what is wrong with it.
 *
 * <p>Sharable in principle (no state), but one is made per channel like the rest of the pipeline.
 */
final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {
    /** A SubmitBatch refused unparsed: more than maxBatchJobs jobs. */
    record OversizedBatch(long requestId, long jobs) {}

    // Tags: field number << 3 | wire type (2: length-delimited, 0: varint).
    private static final int ENVELOPE_SUBMIT = 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int BATCH_REQUEST_ID = 1 << 3 | WireFormat.WIRETYPE_VARINT;
    private static final int BATCH_JOBS = 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private final int maxBatchJobs;

    EnvelopeDecoder(int maxBatchJobs) {
        this.maxBatchJobs = maxBatchJobs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws IOException {
        OversizedBatch oversized = oversized(CodedInputStream.newInstance(frame.nioBuffer()), maxBatchJobs);
        if (oversized != null) {
            out.add(oversized);
            return;
        }
        out.add(Envelope.parser().parseFrom(frame.nioBuffer()));
    }

    /**
     * Groups nest, and skipping them recurses without a bound (100,000 nested groups would
     * overflow the stack): left to the real parse, whose recursion limit refuses them.
     */
    private static boolean group(int tag) {
        int wireType = tag & 7;
        return wireType == WireFormat.WIRETYPE_START_GROUP || wireType == WireFormat.WIRETYPE_END_GROUP;
    }

    /**
     * The request id and job count of a SubmitBatch with more than {@code max} jobs, or null (not
     * a submit, within the limit, or not readable: the real parse decides). Reads tags and skips
     * values; allocates nothing per job. Protobuf merges repeated occurrences of the submit field,
     * so every one is counted.
     */
    static OversizedBatch oversized(CodedInputStream in, int max) {
        try {
            long jobs = 0;
            long requestId = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (group(tag)) {
                    return null;
                }
                if (tag != ENVELOPE_SUBMIT) {
                    if (!in.skipField(tag)) {
                        return null;
                    }
                    continue;
                }
                int limit = in.pushLimit(in.readRawVarint32());
                for (int t = in.readTag(); t != 0; t = in.readTag()) {
                    if (group(t)) {
                        return null;
                    }
                    if (t == BATCH_JOBS) {
                        jobs++;
                        in.skipRawBytes(in.readRawVarint32());
                    } else if (t == BATCH_REQUEST_ID) {
                        requestId = in.readUInt64();
                    } else if (!in.skipField(t)) {
                        return null;
                    }
                }
                in.popLimit(limit);
            }
            return jobs > max ? new OversizedBatch(requestId, jobs) : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }
}
