"""A producer for the Seriatim gateway: one connection, batches, resends in order after a reconnect."""

import collections
import socket
import threading
import time
import uuid

from . import wire
from .errors import (ConnectionLostError, GatewayError, ProtocolError, RejectedError, SeriatimError,
                     UnreachableError)

DEFAULT_PORT = 7420
# What the gateway takes when its HelloOk does not say (a gateway from before the fields).
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024


class _Lost(Exception):
    """The connection is gone (or must be dropped) and what is unanswered on it is to be resent."""

    def __init__(self, why, error=None):
        Exception.__init__(self, why)
        self.why = why
        self.error = error


class Connection(object):
    """One TCP connection to a gateway: frames out, frames in. Low level: most callers want Producer.

    connect() sends Hello and waits for HelloOk (hello_ok holds it); send() writes frames;
    read() returns the next (body field number, body) from wire.envelope.
    """

    def __init__(self, host, port, timeout=30.0, max_answer_bytes=DEFAULT_MAX_ANSWER_BYTES):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        self.hello_ok = None
        self._sock = None
        self._buf = bytearray()

    def open(self):
        """Opens the TCP connection; raises OSError if it cannot."""
        self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self

    def hello(self, client_name="seriatim-python", auth_token=None, protocol_version=1):
        """Sends Hello and returns HelloOk; raises GatewayError for the gateway's Error."""
        self.send(wire.frame(wire.hello(protocol_version, client_name, auth_token)))
        number, body = self.read()
        if number == wire.ERROR:
            raise GatewayError(body.code, body.message)
        if number != wire.HELLO_OK:
            raise ProtocolError("the gateway answered Hello with Envelope field %s, not HelloOk" % number)
        self.hello_ok = body
        return body

    def send(self, data):
        self._sock.sendall(data)

    def read(self):
        """The next frame, decoded: (Envelope body field number, body). Raises EOFError when the gateway closed."""
        length = self._read_length()
        if length > self.max_answer_bytes:
            raise ProtocolError("the gateway sent a frame of %d bytes, over the limit of %d"
                                % (length, self.max_answer_bytes))
        data = self._read_exactly(length)
        try:
            return wire.envelope(data)
        except wire.DecodeError as e:
            raise ProtocolError("the gateway sent bytes that are not an Envelope: %s" % e)

    def _read_length(self):
        result = 0
        for i in range(5):
            b = self._read_exactly(1)[0]
            result |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                return result
        raise ProtocolError("the gateway sent a length prefix longer than 5 bytes")

    def _read_exactly(self, n):
        while len(self._buf) < n:
            chunk = self._sock.recv(max(65536, n - len(self._buf)))
            if not chunk:
                raise EOFError("the gateway closed the connection")
            self._buf += chunk
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def close(self):
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
        self._buf = bytearray()


class Job(object):
    """A job to submit: key (str), payload (bytes; a str is sent as UTF-8), and the optional parts of submit()."""
    __slots__ = ("key", "payload", "headers", "dedup_id", "delay_ms")

    def __init__(self, key, payload=b"", headers=None, dedup_id=None, delay_ms=None):
        self.key = key
        self.payload = payload
        self.headers = headers
        self.dedup_id = dedup_id
        self.delay_ms = delay_ms


class _Batch(object):
    __slots__ = ("request_id", "indexes", "frame")

    def __init__(self, request_id, indexes, frame):
        self.request_id = request_id
        self.indexes = indexes
        self.frame = frame


def _encode_job(job):
    if isinstance(job, Job):
        key, payload, headers, dedup_id, delay_ms = job.key, job.payload, job.headers, job.dedup_id, job.delay_ms
    elif isinstance(job, (tuple, list)) and len(job) == 2:
        key, payload = job
        headers = dedup_id = delay_ms = None
    else:
        raise TypeError("a job is a Job or a (key, payload) pair, got %r" % (job,))
    if not isinstance(key, str):
        raise TypeError("key must be a str, got %s" % type(key).__name__)
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    elif isinstance(payload, (bytearray, memoryview)):
        payload = bytes(payload)
    elif not isinstance(payload, bytes):
        raise TypeError("payload must be bytes or str, got %s" % type(payload).__name__)
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("headers must map str to str, got %r: %r" % (name, value))
    if dedup_id is not None and not isinstance(dedup_id, str):
        raise TypeError("dedup_id must be a str, got %s" % type(dedup_id).__name__)
    if delay_ms is not None:
        if not isinstance(delay_ms, int) or isinstance(delay_ms, bool) or delay_ms < 0 or delay_ms >= 1 << 63:
            raise ValueError("delay_ms must be an int in [0, 2^63), got %r" % (delay_ms,))
    return wire.submit_job(key, payload, headers, dedup_id, delay_ms)


class Producer(object):
    """Submits jobs to a Seriatim gateway over one connection.

    Jobs of one key submitted through one Producer are enqueued in the order submitted, through
    batching, reconnects and resends. Calls are synchronous and serialized by a lock: each
    returns once every job it sent is answered.

        with Producer.connect("127.0.0.1", 7420, "orders") as p:
            job_id = p.submit("order-17", b'{"step": "pay"}')
    """

    def __init__(self, host, port, namespace, auth_token=None, client_name="seriatim-python", timeout=30.0,
                 max_batch_jobs=1000, reconnect_attempts=8, reconnect_backoff=0.1, reconnect_max=2.0,
                 max_answer_bytes=DEFAULT_MAX_ANSWER_BYTES):
        if not isinstance(namespace, str) or not namespace:
            raise ValueError("namespace must be a non-empty str, got %r" % (namespace,))
        if max_batch_jobs < 1:
            raise ValueError("max_batch_jobs must be at least 1, got %r" % (max_batch_jobs,))
        if reconnect_attempts < 0:
            raise ValueError("reconnect_attempts must be at least 0, got %r" % (reconnect_attempts,))
        self.host = host
        self.port = port
        self.namespace = namespace
        self.auth_token = auth_token
        self.client_name = client_name
        self.timeout = timeout
        self.max_batch_jobs = max_batch_jobs
        self.reconnect_attempts = reconnect_attempts
        self.reconnect_backoff = reconnect_backoff
        self.reconnect_max = reconnect_max
        self.max_answer_bytes = max_answer_bytes
        self.session = str(uuid.uuid4())
        self._request_id = 0
        self._conn = None
        self._closed = False
        self._lock = threading.Lock()

    @classmethod
    def connect(cls, host, port, namespace, auth_token=None, client_name="seriatim-python", **options):
        """Connects and says Hello. Raises UnreachableError (nothing was sent) or GatewayError (refused)."""
        p = cls(host, port, namespace, auth_token=auth_token, client_name=client_name, **options)
        try:
            p._dial()
        except OSError as e:
            raise UnreachableError("gateway at %s:%s unreachable (%s): nothing was sent" % (host, port, e))
        except EOFError as e:
            raise UnreachableError("gateway at %s:%s closed the connection before HelloOk (%s): nothing was sent"
                                   % (host, port, e))
        return p

    @property
    def hello_ok(self):
        """The gateway's HelloOk on the current connection (its limits)."""
        return self._conn.hello_ok if self._conn else None

    def submit(self, key, payload, headers=None, dedup_id=None, delay_ms=None):
        """Submits one job and returns its id once it is in Redis (also when it was already there under dedup_id).

        Raises RejectedError (INVALID, UNKNOWN_NAMESPACE; UNAVAILABLE once the resends are used up),
        GatewayError or ConnectionLostError.
        """
        result = self.submit_many([Job(key, payload, headers, dedup_id, delay_ms)])[0]
        if result.rejection is not None:
            raise RejectedError(result.rejection.code, result.rejection.reason, [result])
        return result.id

    def submit_many(self, jobs):
        """Submits jobs in order (Job objects or (key, payload) pairs) and returns a wire.JobResult per job, in order.

        A job the gateway refused has its rejection in its result (the others go in); the call
        raises only when the outcome of jobs is not known: ConnectionLostError, GatewayError, or
        RejectedError(UNAVAILABLE) once the reconnect attempts are used up.
        """
        encoded = [_encode_job(j) for j in jobs]
        with self._lock:
            if self._closed:
                raise SeriatimError("the producer is closed")
            return self._submit(encoded)

    def ping(self):
        """Sends a Ping and waits for its Pong; keeps an idle connection open past the gateway's idle timeout."""
        with self._lock:
            if self._closed:
                raise SeriatimError("the producer is closed")
            if self._conn is None:
                self._reconnect([], _Lost("not connected"), 0)
            nonce = int(time.time() * 1000)
            try:
                self._conn.send(wire.frame(wire.ping(nonce)))
                while True:
                    number, body = self._conn.read()
                    if number == wire.PONG and body == nonce:
                        return
                    if number == wire.ERROR:
                        self._drop()
                        raise GatewayError(body.code, body.message)
            except (OSError, EOFError) as e:
                # Nothing is unanswered between calls: the next call reconnects.
                self._drop()
                raise ConnectionLostError("ping: connection lost (%s); the next call reconnects" % e)

    def close(self):
        """Closes the connection. Every call has returned by then, so nothing is left unanswered."""
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- Internals ----------------------------------------------------------------------------

    def _dial(self):
        conn = Connection(self.host, self.port, self.timeout, self.max_answer_bytes).open()
        try:
            conn.hello(self.client_name, self.auth_token)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _limits(self):
        ok = self._conn.hello_ok
        jobs = min(self.max_batch_jobs, ok.max_batch_jobs) if ok.max_batch_jobs else self.max_batch_jobs
        frame_bytes = ok.max_frame_bytes or DEFAULT_MAX_FRAME_BYTES
        window = max(1, min(64, ok.max_in_flight or 64))
        return jobs, frame_bytes, window

    def _next_batch_dedup_id(self):
        self._request_id += 1
        return self._request_id, "%s:%d" % (self.session, self._request_id)

    def _cut(self, encoded, results):
        """Batches within the gateway's job and frame limits, in order; a job no frame can hold is rejected unsent."""
        max_jobs, max_frame, _ = self._limits()
        batches = []
        current, size = [], 0

        def finish():
            request_id, dedup = self._next_batch_dedup_id()
            body = wire.submit_batch(request_id, self.namespace, [encoded[i] for i in current], dedup)
            batches.append(_Batch(request_id, list(current), wire.frame(body)))

        overhead = wire.submit_batch_overhead(self.namespace, "%s:%d" % (self.session, 1 << 64))
        for i, job in enumerate(encoded):
            job_size = wire.job_field_size(job)
            if overhead + job_size > max_frame:
                results[i] = wire.JobResult(rejection=wire.Rejection(
                    "INVALID", "a job of %d bytes does not fit the gateway's frame limit of %d bytes; it was not sent"
                    % (len(job), max_frame)))
                continue
            if current and (len(current) >= max_jobs or overhead + size + job_size > max_frame):
                finish()
                current, size = [], 0
            current.append(i)
            size += job_size
        if current:
            finish()
        return batches

    def _submit(self, encoded):
        results = [None] * len(encoded)
        if self._conn is None:
            self._reconnect(results, _Lost("not connected"), 0)
        batches = collections.deque(self._cut(encoded, results))
        unanswered = collections.deque()
        failures = 0
        while batches or unanswered:
            try:
                _, _, window = self._limits()
                while batches and len(unanswered) < window:
                    b = batches.popleft()
                    unanswered.append(b)
                    try:
                        self._conn.send(b.frame)
                    except OSError as e:
                        raise _Lost("send failed (%s)" % e)
                self._answer(unanswered, results)
                failures = 0
            except _Lost as lost:
                # Everything unanswered goes back in front of what was never sent, in its order,
                # to be resent byte for byte (the same request ids and batch dedup ids).
                batches.extendleft(reversed(unanswered))
                unanswered.clear()
                failures += 1
                self._reconnect(results, lost, failures)
        return results

    def _answer(self, unanswered, results):
        """Reads one answer and fills the results of the oldest unanswered batch; _Lost if it must be resent."""
        try:
            number, body = self._conn.read()
        except (OSError, EOFError) as e:
            raise _Lost("connection lost (%s)" % e)
        if number == wire.PONG:
            return
        if number == wire.ERROR:
            error = GatewayError(body.code, body.message)
            if error.retryable:
                raise _Lost("the gateway closed the connection with %s (%s)" % (body.code, body.message), error)
            self._drop()
            error.results = results
            raise error
        if number != wire.RESULTS:
            self._drop()
            raise ProtocolError("the gateway sent Envelope field %s while answers were due" % number)
        b = unanswered[0]
        if body.request_id != b.request_id:
            self._drop()
            raise ProtocolError("the gateway answered request %d while %d was due" % (body.request_id, b.request_id))
        if body.refused is not None:
            unanswered.popleft()
            for i in b.indexes:
                results[i] = wire.JobResult(rejection=body.refused)
            return
        if len(body.results) != len(b.indexes):
            self._drop()
            raise ProtocolError("the gateway answered batch %d with %d results for %d jobs"
                                % (b.request_id, len(body.results), len(b.indexes)))
        unavailable = [r for r in body.results if r.rejection is not None and r.rejection.code == "UNAVAILABLE"]
        if unavailable:
            # The gateway wrote nothing of any later batch and closes the connection: resend from this one.
            raise _Lost("the gateway answered UNAVAILABLE (%s)" % unavailable[0].rejection.reason,
                        RejectedError("UNAVAILABLE", unavailable[0].rejection.reason))
        unanswered.popleft()
        for i, r in zip(b.indexes, body.results):
            results[i] = r

    def _drop(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _reconnect(self, results, lost, failures):
        """Drops the connection and dials again, after a backoff; raises once the attempts are used up."""
        self._drop()
        if failures > self.reconnect_attempts:
            self._give_up(results, lost)
        delay = 0 if failures == 0 else min(self.reconnect_max, self.reconnect_backoff * (2 ** (failures - 1)))
        attempt = failures
        while True:
            if delay:
                time.sleep(delay)
            try:
                self._dial()
                return
            except (OSError, EOFError) as e:
                lost = _Lost("cannot reconnect to %s:%s (%s)" % (self.host, self.port, e))
            except GatewayError as e:
                if not e.retryable:
                    e.results = results
                    raise
                lost = _Lost("cannot reconnect: %s" % e, e)
            attempt += 1
            if attempt > self.reconnect_attempts:
                self._give_up(results, lost)
            delay = min(self.reconnect_max, self.reconnect_backoff * (2 ** (attempt - 1)))

    def _give_up(self, results, lost):
        error = lost.error
        if isinstance(error, RejectedError):
            raise RejectedError(error.code, error.reason + "; the outcome of the unanswered jobs is unknown", results)
        if isinstance(error, GatewayError):
            error.results = results
            raise error
        raise ConnectionLostError("%s; gave up after %d reconnect attempts: the unanswered jobs may or may not be"
                                  " enqueued" % (lost.why, self.reconnect_attempts), results)
