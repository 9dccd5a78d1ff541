// BullMQ side of the Seriatim benchmark. BullMQ only keeps per-key order with
// one queue per key and one concurrency-1 worker per queue, so "K keys" here is
// K queues (k0..k<K-1>) with K workers, all in this one process.
// Usage: node bench.mjs --port P --scenario drain|submit|mixed
//        [--queues N] [--jobs-per-queue M] [--seconds S] [--payload BYTES]
// Progress goes to stderr; the only stdout line is the final JSON result.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const SYSTEM = 'bullmq 6.7.0';
const { values: a } = parseArgs({
  options: {
    port: { type: 'string' },
    scenario: { type: 'string' },
    queues: { type: 'string', default: '100' },
    'jobs-per-queue': { type: 'string' },
    seconds: { type: 'string', default: '10' },
    payload: { type: 'string', default: '100' },
  },
});
if (!a.port || !['drain', 'submit', 'mixed'].includes(a.scenario)) {
  console.error('usage: node bench.mjs --port P --scenario drain|submit|mixed [--queues N] [--jobs-per-queue M] [--seconds S] [--payload 100]');
  process.exit(2);
}
const port = Number(a.port);
const N = Number(a.queues);
// submit is cheap per job, so it gets a bigger default load than drain.
const M = Number(a['jobs-per-queue'] ?? (a.scenario === 'submit' ? 2000 : 200));
const SECONDS = Number(a.seconds);
const PAYLOAD = 'x'.repeat(Number(a.payload));
const log = (...m) => console.error(`[bullmq ${a.scenario}]`, ...m);
const now = () => performance.now();
const wallMs = () => performance.timeOrigin + performance.now(); // sub-ms, comparable across callbacks
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A per-run key prefix keeps runs apart on a Redis we do not own (we never flush it).
const prefix = `bench${process.pid}x${Date.now()}`;
// BullMQ requires maxRetriesPerRequest: null on connections that workers use.
const redisOpts = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
// Producer and worker sides each share one connection; BullMQ still opens one
// extra blocking connection per Worker (for BZPOPMIN), which cannot be shared.
const prodConn = new IORedis(redisOpts);
const workConn = new IORedis(redisOpts);
const jobOpts = { removeOnComplete: true, removeOnFail: false }; // keeps Redis memory bounded

const queues = Array.from({ length: N }, (_, i) => {
  const q = new Queue(`k${i}`, { connection: prodConn, prefix });
  q.on('error', (e) => log(`queue k${i} error:`, e.message));
  return q;
});

// Per-queue bookkeeping, filled by the processors / completed events.
const nextSeq = new Int32Array(N);   // producer side: next seq per queue
const lastSeq = new Int32Array(N).fill(-1); // consumer side: last seq seen by processor
const done = Array.from({ length: N }, () => new Set()); // distinct completed seqs
let runs = 0, violations = 0, completed = 0, failed = 0, lastCompleteAt = 0;
const latencies = [];

// Adds `count` jobs round-robin over the queues (continuing where the last
// call stopped), in chunks of `chunk`. Within a chunk each queue gets one
// addBulk; chunks are awaited one after another so per-queue seq order holds.
let rr = 0;
async function produce(count, chunk) {
  for (let off = 0; off < count; off += chunk) {
    const perQueue = new Map();
    const t = wallMs();
    for (let j = off; j < Math.min(count, off + chunk); j++) {
      const qi = rr; rr = (rr + 1) % N;
      if (!perQueue.has(qi)) perQueue.set(qi, []);
      perQueue.get(qi).push({ name: 'j', data: { seq: nextSeq[qi]++, t, p: PAYLOAD }, opts: jobOpts });
    }
    await Promise.all([...perQueue].map(([qi, jobs]) => queues[qi].addBulk(jobs)));
  }
}

function startWorkers() {
  return queues.map((_, i) => {
    const w = new Worker(`k${i}`, async (job) => {
      const { seq, t } = job.data;
      runs++;
      if (seq !== lastSeq[i] + 1) violations++;
      lastSeq[i] = seq;
      if (a.scenario === 'mixed') latencies.push(wallMs() - t);
    }, { connection: workConn, prefix, concurrency: 1, autorun: false });
    w.on('completed', (job) => {
      if (!done[i].has(job.data.seq)) { done[i].add(job.data.seq); completed++; }
      lastCompleteAt = now();
    });
    w.on('failed', (job, e) => { failed++; log(`job failed on k${i}:`, e?.message); });
    w.on('error', (e) => log(`worker k${i} error:`, e.message));
    return w;
  });
}

// Polls until `target()` jobs have completed or the deadline passes.
async function waitCompleted(target, maxMs) {
  const deadline = now() + maxMs;
  let lastLog = now();
  while (completed < target() && now() < deadline) {
    await sleep(10);
    if (now() - lastLog > 5000) { lastLog = now(); log(`completed ${completed}/${target()}`); }
  }
}

async function runWorkers(workers) {
  // Workers are created with autorun off and only started once all of them
  // have their connections up, so connection setup is not timed.
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  for (const w of workers) w.run().catch((e) => log('run error:', e.message));
}

const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null;
const r2 = (x) => Math.round(x * 100) / 100;

let result, workers = [];
try {
  await Promise.all(queues.map((q) => q.waitUntilReady()));
  if (a.scenario === 'submit') {
    const total = N * M;
    const t0 = now();
    await produce(total, 1000);
    const secs = (now() - t0) / 1000;
    const counts = await Promise.all(queues.map((q) => q.getWaitingCount()));
    const bad = counts.filter((c, i) => c !== nextSeq[i]).length;
    const added = counts.reduce((x, y) => x + y, 0);
    log(`added ${total} in ${secs.toFixed(2)} s; queues with wrong waiting count: ${bad}`);
    result = { jobsPerSec: r2(total / secs), runs: added, expected: total, violations: bad, lost: total - added };
  } else if (a.scenario === 'drain') {
    const total = N * M;
    log(`loading ${N} queues x ${M} jobs`);
    let tl = now();
    await produce(total, 1000);
    log(`loaded in ${((now() - tl) / 1000).toFixed(2)} s; starting ${N} workers`);
    tl = now();
    workers = startWorkers();
    await runWorkers(workers);
    log(`workers ready in ${((now() - tl) / 1000).toFixed(2)} s`);
    const t0 = now();
    await waitCompleted(() => total, 600_000);
    const secs = ((completed === total ? lastCompleteAt : now()) - t0) / 1000;
    log(`drained ${completed}/${total} in ${secs.toFixed(2)} s`);
    result = { jobsPerSec: r2(completed / secs), runs, expected: total, violations, lost: total - completed };
  } else { // mixed
    workers = startWorkers();
    await runWorkers(workers);
    log(`producing for ${SECONDS} s into ${N} queues with ${N} workers`);
    const t0 = now();
    let produced = 0;
    while (now() - t0 < SECONDS * 1000) { await produce(100, 100); produced += 100; }
    log(`produced ${produced} (${(produced / SECONDS).toFixed(0)}/s), completed ${completed}; waiting for drain`);
    await waitCompleted(() => produced, 60_000);
    const secs = ((completed === produced ? lastCompleteAt : now()) - t0) / 1000;
    latencies.sort((x, y) => x - y);
    result = {
      jobsPerSec: r2(completed / secs), p50ms: r2(pct(latencies, 0.5)), p99ms: r2(pct(latencies, 0.99)),
      runs, expected: produced, violations, lost: produced - completed,
    };
  }
  if (failed) log(`${failed} jobs failed`);
} catch (e) {
  log('error:', e?.stack ?? e);
  result = { error: String(e?.message ?? e) };
} finally {
  // Close everything so the process exits on its own; then drop our keys
  // (only this run's prefix) so the caller's Redis does not keep them.
  const tc = now();
  await Promise.all(workers.map((w) => w.close().catch(() => {})));
  await Promise.all(queues.map((q) => q.obliterate({ force: true }).catch((e) => log('obliterate:', e.message))));
  await Promise.all(queues.map((q) => q.close().catch(() => {})));
  await Promise.all([prodConn.quit(), workConn.quit()]).catch(() => {});
  log(`cleanup took ${((now() - tc) / 1000).toFixed(2)} s`);
}

const ok = !result.error && result.violations === 0 && result.lost === 0;
console.log(JSON.stringify({ scenario: a.scenario, system: SYSTEM, ...result, ok }));
process.exitCode = ok ? 0 : 1;
