"""The gateway's Protobuf messages, encoded and decoded by hand (docs/protocol.md, "Wire format").

Only what a producer sends (Hello, SubmitBatch, Ping inside an Envelope) is encoded, and only
what it reads (HelloOk, SubmitResults, Pong, Error) is decoded. Decoding skips fields it does not
know, as Protobuf does, so a newer gateway's additions do not break this client.
"""

import struct

# Wire types.
VARINT = 0
I64 = 1
LEN = 2
I32 = 5

# Envelope's oneof body: field numbers.
HELLO = 1
HELLO_OK = 2
SUBMIT = 3
RESULTS = 4
PING = 5
PONG = 6
ERROR = 7

REJECTION_CODES = {0: "CODE_UNSPECIFIED", 1: "INVALID", 2: "UNKNOWN_NAMESPACE", 3: "UNAVAILABLE",
                   4: "BATCH_TOO_LARGE"}
ERROR_CODES = {0: "CODE_UNSPECIFIED", 1: "BAD_FRAME", 2: "UNSUPPORTED_VERSION", 3: "UNAUTHENTICATED",
               4: "PROTOCOL", 5: "TIMEOUT", 6: "TOO_MANY_CONNECTIONS", 7: "OVERLOADED", 8: "INTERNAL"}

_U64 = (1 << 64) - 1


class DecodeError(ValueError):
    """Bytes that are not the message they should be."""


def varint(n):
    """Base-128 varint of an unsigned 64-bit value (a negative int64 is written as its two's complement)."""
    if n < 0:
        n &= _U64
    if n > _U64:
        raise ValueError("%d does not fit 64 bits" % n)
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def varint_size(n):
    size = 1
    while n >= 0x80:
        n >>= 7
        size += 1
    return size


def tag(field, wire_type):
    return varint((field << 3) | wire_type)


def uint_field(field, value):
    """A varint field; proto3 leaves out a zero, so this returns nothing for 0."""
    return tag(field, VARINT) + varint(value) if value else b""


def bytes_field(field, value):
    """A length-delimited field (string, bytes, message); proto3 leaves out an empty one."""
    if not value:
        return b""
    return tag(field, LEN) + varint(len(value)) + value


def string_field(field, value):
    return bytes_field(field, value.encode("utf-8")) if value else b""


def message_field(field, body):
    """An embedded message: written even when empty, since its presence is what a oneof says."""
    return tag(field, LEN) + varint(len(body)) + body


def frame(envelope):
    """The varint32 length prefix and the Envelope's bytes."""
    return varint(len(envelope)) + envelope


# --- Encoding what a producer sends --------------------------------------------------------


def hello(protocol_version=1, client_name="", auth_token=None):
    """Envelope { hello: Hello { protocol_version, client_name, auth_token } }."""
    body = uint_field(1, protocol_version) + string_field(2, client_name) + string_field(3, auth_token or "")
    return message_field(HELLO, body)


def ping(nonce):
    return message_field(PING, uint_field(1, nonce))


def submit_job(key, payload, headers=None, dedup_id=None, delay_ms=None):
    """SubmitJob's bytes (not in an Envelope): a map entry per header, delay_ms written even when 0 (a oneof)."""
    out = bytearray()
    out += string_field(1, key)
    out += bytes_field(2, payload)
    for name, value in (headers or {}).items():
        entry = string_field(1, name) + string_field(2, value)
        out += message_field(3, entry)
    out += string_field(4, dedup_id or "")
    if delay_ms is not None:
        out += tag(5, VARINT) + varint(delay_ms)
    return bytes(out)


def submit_batch(request_id, namespace, jobs, batch_dedup_id):
    """Envelope { submit: SubmitBatch }; jobs are SubmitJob bytes from submit_job."""
    body = bytearray()
    body += uint_field(1, request_id)
    body += string_field(2, namespace)
    for job in jobs:
        body += message_field(3, job)
    body += string_field(4, batch_dedup_id)
    return message_field(SUBMIT, bytes(body))


def submit_batch_overhead(namespace, batch_dedup_id):
    """Bytes a SubmitBatch frame needs besides its jobs, at most (the request id and the prefixes at their longest)."""
    fixed = 1 + 10  # request_id
    fixed += len(string_field(2, namespace)) + len(string_field(4, batch_dedup_id))
    return fixed + 1 + 5 + 5  # Envelope tag and length, the frame's length prefix


def job_field_size(job):
    """Bytes one SubmitJob takes inside a SubmitBatch (tag, length, body)."""
    return 1 + varint_size(len(job)) + len(job)


# --- Decoding what a producer reads --------------------------------------------------------


def read_varint(buf, pos):
    result = 0
    shift = 0
    while True:
        if pos >= len(buf):
            raise DecodeError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result & _U64, pos
        shift += 7
        if shift >= 70:
            raise DecodeError("varint longer than 10 bytes")


def fields(buf):
    """Yields (field number, wire type, value) of a message: an int for varints and fixed, bytes for LEN."""
    buf = memoryview(buf)
    pos = 0
    while pos < len(buf):
        key, pos = read_varint(buf, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise DecodeError("field number 0")
        if wire_type == VARINT:
            value, pos = read_varint(buf, pos)
        elif wire_type == LEN:
            length, pos = read_varint(buf, pos)
            if pos + length > len(buf):
                raise DecodeError("field %d runs past the message" % number)
            value = bytes(buf[pos:pos + length])
            pos += length
        elif wire_type == I64:
            if pos + 8 > len(buf):
                raise DecodeError("truncated fixed64")
            value = struct.unpack_from("<Q", buf, pos)[0]
            pos += 8
        elif wire_type == I32:
            if pos + 4 > len(buf):
                raise DecodeError("truncated fixed32")
            value = struct.unpack_from("<I", buf, pos)[0]
            pos += 4
        else:
            raise DecodeError("wire type %d (groups are not used by this protocol)" % wire_type)
        yield number, wire_type, value


def _last(buf, wanted):
    """The last value of each wanted field ({number: wire type}), as Protobuf merges scalars: last one wins."""
    out = {}
    for number, wire_type, value in fields(buf):
        if number in wanted and wanted[number] == wire_type:
            out[number] = value
    return out


class HelloOk(object):
    __slots__ = ("protocol_version", "max_frame_bytes", "max_in_flight", "max_batch_jobs", "idle_timeout_ms")

    def __init__(self, buf):
        f = _last(buf, {1: VARINT, 2: VARINT, 3: VARINT, 4: VARINT, 5: VARINT})
        self.protocol_version = f.get(1, 0)
        self.max_frame_bytes = f.get(2, 0)
        self.max_in_flight = f.get(3, 0)
        self.max_batch_jobs = f.get(4, 0)
        self.idle_timeout_ms = f.get(5, 0)


class Rejection(object):
    """A job's, or a whole batch's, refusal: code is the enum's name ("INVALID", ...)."""
    __slots__ = ("code", "reason")

    def __init__(self, code, reason):
        self.code = code
        self.reason = reason

    @classmethod
    def decode(cls, buf):
        f = _last(buf, {1: VARINT, 2: LEN})
        number = f.get(1, 0)
        return cls(REJECTION_CODES.get(number, "CODE_%d" % number), f.get(2, b"").decode("utf-8", "replace"))

    def __repr__(self):
        return "Rejection(%s, %r)" % (self.code, self.reason)


class JobResult(object):
    """One job's answer: exactly one of job_id, duplicate_of and rejection is set (None when the gateway sent none)."""
    __slots__ = ("job_id", "duplicate_of", "rejection")

    def __init__(self, job_id=None, duplicate_of=None, rejection=None):
        self.job_id = job_id
        self.duplicate_of = duplicate_of
        self.rejection = rejection

    @classmethod
    def decode(cls, buf):
        # A oneof: the last of its fields on the wire is the one set.
        result = cls()
        for number, wire_type, value in fields(buf):
            if number == 1 and wire_type == VARINT:
                result = cls(job_id=value)
            elif number == 2 and wire_type == VARINT:
                result = cls(duplicate_of=value)
            elif number == 3 and wire_type == LEN:
                result = cls(rejection=Rejection.decode(value))
        return result

    @property
    def ok(self):
        """True when the job is in Redis (new, or already there under the same dedup id)."""
        return self.job_id is not None or self.duplicate_of is not None

    @property
    def id(self):
        """The job's id in Redis, new or duplicate; None if it was rejected."""
        return self.job_id if self.job_id is not None else self.duplicate_of

    def __repr__(self):
        if self.job_id is not None:
            return "JobResult(job_id=%d)" % self.job_id
        if self.duplicate_of is not None:
            return "JobResult(duplicate_of=%d)" % self.duplicate_of
        return "JobResult(rejection=%r)" % (self.rejection,)


class SubmitResults(object):
    __slots__ = ("request_id", "results", "refused")

    def __init__(self, buf):
        self.request_id = 0
        self.results = []
        self.refused = None
        for number, wire_type, value in fields(buf):
            if number == 1 and wire_type == VARINT:
                self.request_id = value
            elif number == 2 and wire_type == LEN:
                self.results.append(JobResult.decode(value))
            elif number == 3 and wire_type == LEN:
                self.refused = Rejection.decode(value)


class Error(object):
    __slots__ = ("code", "message")

    def __init__(self, buf):
        f = _last(buf, {1: VARINT, 2: LEN})
        number = f.get(1, 0)
        self.code = ERROR_CODES.get(number, "CODE_%d" % number)
        self.message = f.get(2, b"").decode("utf-8", "replace")


def envelope(buf):
    """(body field number, decoded body) of an Envelope; (None, None) when its body is empty or unknown."""
    body_number, body = None, None
    for number, wire_type, value in fields(buf):
        if wire_type == LEN and HELLO <= number <= ERROR:
            body_number, body = number, value  # a oneof: the last one wins
    if body_number == HELLO_OK:
        return body_number, HelloOk(body)
    if body_number == RESULTS:
        return body_number, SubmitResults(body)
    if body_number == PONG:
        return body_number, _last(body, {1: VARINT}).get(1, 0)
    if body_number == ERROR:
        return body_number, Error(body)
    return body_number, body
