package io.seriatim.core.schedule;

import static io.seriatim.core.script.Args.num;
import static io.seriatim.core.script.Args.text;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.seriatim.core.keys.PartitionKeys;
import io.seriatim.core.queue.JobCodec;
import io.seriatim.core.queue.KeyedQueue;
import io.seriatim.core.queue.NewJob;
import io.seriatim.core.script.Reply;
import io.seriatim.core.script.Script;
import io.seriatim.core.script.ScriptRunner;
import io.seriatim.core.script.ScriptStatus;
import io.seriatim.proto.v1.StoredSchedule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * The recurring-job schedules of one namespace. Each lives in the partition of its key, so that
 * firing a tick and enqueueing its job are one script. Thread-safe; does not own the client.
 */
public final class Schedules {
    /** The header every scheduled job carries: the tick it was made for (ms since the epoch). */
    public static final String TICK_HEADER = "seriatim-schedule-tick";
    public static final String NAME_HEADER = "seriatim-schedule";

    /** A schedule with the last tick fired. */
    public record Entry(Schedule schedule, long lastTickMs) {}

    private final KeyedQueue queue;
    private final ScriptRunner scripts;

    public Schedules(UnifiedJedis redis, KeyedQueue queue) {
        this.queue = queue;
        this.scripts = new ScriptRunner(redis);
    }

    /** Creates or replaces a schedule. Its first tick is the first one after now. */
    public void put(Schedule s) {
        queue.validator().checkKey(s.key());
        queue.validator().check(new io.seriatim.core.queue.EnqueueRequest(s.key(),
                List.of(new NewJob(s.payload(), s.headers())), null));
        PartitionKeys p = queue.keys().partitionOf(s.key());
        // A new key may move the schedule to another partition: take its last tick along.
        String carried = "";
        for (PartitionKeys other : queue.keys().partitions()) {
            if (other.partition() == p.partition()) {
                continue;
            }
            byte[] tick = scripts.command("reading the last tick of schedule '" + s.name() + "'",
                    redis -> redis.hget(other.scheduleTicks(), text(s.name())));
            if (tick != null) {
                carried = new String(tick, UTF_8);
                scripts.run(Script.SCHEDULE_REMOVE, List.of(other.schedules(), other.scheduleTicks()), List.of(text(s.name())));
            }
        }
        byte[] encoded = StoredSchedule.newBuilder().setName(s.name()).setKey(s.key())
                .setPayload(ByteString.copyFrom(s.payload())).putAllHeaders(s.headers()).setCron(s.cron())
                .setZone(s.zone()).build().toByteArray();
        scripts.run(Script.SCHEDULE_PUT, List.of(p.schedules(), p.scheduleTicks()),
                List.of(text(s.name()), encoded, text(carried)));
    }

    /** Deletes a schedule; false if there was none of that name. */
    public boolean remove(String name) {
        boolean removed = false;
        for (PartitionKeys p : queue.keys().partitions()) {
            Reply r = scripts.run(Script.SCHEDULE_REMOVE, List.of(p.schedules(), p.scheduleTicks()), List.of(text(name)));
            removed |= r.status(0) == ScriptStatus.OK; // else NOT_FOUND
        }
        return removed;
    }

    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (int p = 0; p < queue.partitionCount(); p++) {
            out.addAll(list(p));
        }
        return out;
    }

    public List<Entry> list(int partition) {
        PartitionKeys p = queue.keys().partition(partition);
        Map<byte[], byte[]> defs = scripts.command("reading " + p.prefix() + "schedules", redis -> redis.hgetAll(p.schedules()));
        Map<String, Long> ticks = new HashMap<>();
        scripts.command("reading " + p.prefix() + "schedule-ticks", redis -> redis.hgetAll(p.scheduleTicks()))
                .forEach((k, v) -> ticks.put(new String(k, UTF_8), Long.parseLong(new String(v, UTF_8))));
        List<Entry> out = new ArrayList<>();
        for (byte[] def : defs.values()) {
            StoredSchedule s;
            try {
                s = StoredSchedule.parseFrom(def);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("schedule in " + p + " is not a StoredSchedule", e);
            }
            out.add(new Entry(new Schedule(s.getName(), s.getKey(), s.getPayload().toByteArray(), s.getHeadersMap(),
                    s.getCron(), s.getZone()), ticks.getOrDefault(s.getName(), 0L)));
        }
        return out;
    }

    /**
     * Fires one tick of a schedule: enqueues its job unless that tick (or a later one) already
     * fired. Returns true when this call enqueued it.
     */
    public boolean fire(Schedule s, long tickMs) {
        PartitionKeys p = queue.keys().partitionOf(s.key());
        Map<String, String> headers = new HashMap<>(s.headers());
        headers.put(NAME_HEADER, s.name());
        headers.put(TICK_HEADER, Long.toString(tickMs));
        byte[] body = JobCodec.encodeBody(new NewJob(s.payload(), headers));
        Reply r = scripts.run(Script.SCHEDULE_FIRE,
                List.of(p.schedules(), p.scheduleTicks(), p.seq(), p.stats()),
                List.of(p.prefixBytes(), text(s.name()), num(tickMs), text(s.key()),
                        num(p.partition()), body));
        return r.status(0) == ScriptStatus.ENQUEUED; // else OK (fired already) or NOT_FOUND
    }

}
