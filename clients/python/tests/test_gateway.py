"""The client against a real gateway: order, dedup resend, errors.

Needs SERIATIM_GATEWAY=host:port and SERIATIM_NAMESPACE (an existing namespace); skipped without
them. When SERIATIM_REPORT names a file, each test appends a JSON line of what it saw, for the
JUnit test that runs these (gateway's PythonClientTest) to check against Redis.
"""

import json
import os
import socket
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from seriatim_client import (Connection, GatewayError, Job, Producer, RejectedError,  # noqa: E402
                             UnreachableError, wire)

GATEWAY = os.environ.get("SERIATIM_GATEWAY")
NAMESPACE = os.environ.get("SERIATIM_NAMESPACE")
ORDER_JOBS = 300


def address():
    host, _, port = GATEWAY.rpartition(":")
    return host, int(port)


def report(test, **seen):
    path = os.environ.get("SERIATIM_REPORT")
    if path:
        seen["test"] = test
        with open(path, "a") as f:
            f.write(json.dumps(seen, sort_keys=True) + "\n")


def connect(**options):
    host, port = address()
    return Producer.connect(host, port, NAMESPACE, auth_token=os.environ.get("SERIATIM_AUTH_TOKEN"), **options)


class DropAfterFirstBatch(object):
    """A TCP proxy to the gateway that, on its first connection, forwards Hello and the first SubmitBatch, waits
    for the gateway's answer to it and then closes both sides without passing the answer on: the batch is
    enqueued and the client never hears so. Later connections pass through. It keeps every SubmitBatch frame
    each connection carried."""

    def __init__(self, host, port):
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.batches = []  # per connection, the SubmitBatch frames it carried
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            frames = []
            self.batches.append(frames)
            gateway = socket.create_connection(self.target)
            first = self.connections == 1
            threading.Thread(target=self._upstream, args=(client, gateway, frames, first), daemon=True).start()
            threading.Thread(target=self._downstream, args=(gateway, client, first), daemon=True).start()

    @staticmethod
    def _read_frame(sock, buf):
        """One whole frame (prefix included) from sock, with buf holding what was read past it."""
        while True:
            length, pos, shift = 0, 0, 0
            complete = False
            while pos < len(buf):
                b = buf[pos]
                pos += 1
                length |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    complete = True
                    break
            if complete and len(buf) >= pos + length:
                whole = bytes(buf[:pos + length])
                del buf[:pos + length]
                return whole
            chunk = sock.recv(65536)
            if not chunk:
                return None
            buf += chunk

    def _upstream(self, client, gateway, frames, first):
        buf = bytearray()
        try:
            while True:
                f = self._read_frame(client, buf)
                if f is None:
                    break
                _, body = wire.read_varint(f, 0)
                if f[body] == (wire.SUBMIT << 3 | wire.LEN):
                    frames.append(f)
                gateway.sendall(f)
        except OSError:
            pass
        finally:
            if not first:
                gateway.close()

    def _downstream(self, gateway, client, first):
        buf = bytearray()
        try:
            answers = 0
            while True:
                f = self._read_frame(gateway, buf)
                if f is None:
                    break
                if first and answers == 1:
                    # The gateway answered the first batch: drop it and the connection.
                    break
                answers += 1
                client.sendall(f)
        except OSError:
            pass
        finally:
            for s in (client, gateway):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self):
        self.listener.close()


@unittest.skipUnless(GATEWAY and NAMESPACE, "needs SERIATIM_GATEWAY=host:port and SERIATIM_NAMESPACE")
class GatewayTest(unittest.TestCase):
    def test_jobs_of_a_key_are_enqueued_in_submit_order_across_batches(self):
        with connect(max_batch_jobs=7) as p:
            jobs = []
            for i in range(ORDER_JOBS):
                jobs.append(Job("py-order", str(i).encode()))
                jobs.append(("py-order-b", str(i)))  # a second key interleaved, a (key, payload) pair
            results = p.submit_many(jobs)
            self.assertEqual(len(results), 2 * ORDER_JOBS)
            self.assertTrue(all(r.job_id is not None for r in results), results)
            ids = [r.job_id for r in results]
            self.assertEqual(len(set(ids)), len(ids))
            # One at a time after the batches: still in order behind them.
            last = p.submit("py-order", str(ORDER_JOBS).encode())
            report("order", key="py-order", jobs=ORDER_JOBS + 1, last_id=last)

    def test_own_dedup_id_headers_and_delay_travel(self):
        with connect() as p:
            first = p.submit("py-own-dedup", b"once", headers={"trace": "abc"}, dedup_id="order-7")
            again = p.submit_many([Job("py-own-dedup", b"once", {"trace": "abc"}, "order-7")])[0]
            self.assertIsNone(again.job_id)
            self.assertEqual(again.duplicate_of, first)
            p.submit("py-delayed", b"later", delay_ms=3600 * 1000)
            p.ping()  # answered Pong: the connection is still the one the submits used
            report("own_dedup", key="py-own-dedup", job_id=first, duplicate_of=again.duplicate_of)

    def test_the_same_batch_sent_again_on_a_new_connection_is_enqueued_once(self):
        host, port = address()
        jobs = [wire.submit_job("py-resend", ("r%d" % i).encode()) for i in range(3)]
        frame = wire.frame(wire.submit_batch(1, NAMESPACE, jobs, "py-test-resend:1"))
        answers = []
        for _ in range(2):
            c = Connection(host, port).open()
            try:
                c.hello("py-test")
                c.send(frame)
                number, results = c.read()
                self.assertEqual(number, wire.RESULTS)
                answers.append(results.results)
            finally:
                c.close()
        first, second = answers
        self.assertTrue(all(r.job_id is not None for r in first), first)
        self.assertEqual([r.duplicate_of for r in second], [r.job_id for r in first])
        self.assertTrue(all(r.job_id is None for r in second), second)
        report("resend", key="py-resend", first=[r.job_id for r in first], second=[r.duplicate_of for r in second])

    def test_a_batch_unanswered_when_the_connection_drops_is_resent_byte_for_byte_and_enqueued_once(self):
        host, port = address()
        proxy = DropAfterFirstBatch(host, port)
        try:
            p = Producer.connect("127.0.0.1", proxy.port, NAMESPACE, auth_token=os.environ.get("SERIATIM_AUTH_TOKEN"),
                                 max_batch_jobs=5, reconnect_backoff=0.05)
            with p:
                results = p.submit_many([("py-lost", "l%d" % i) for i in range(12)])
                self.assertTrue(all(r.ok for r in results), results)
        finally:
            proxy.close()
        self.assertGreaterEqual(proxy.connections, 2)
        sent_first, resent = proxy.batches[0], proxy.batches[1]
        self.assertGreaterEqual(len(sent_first), 1)
        # What was unanswered on the first connection went again, first, unchanged.
        self.assertEqual(resent[:len(sent_first)], sent_first)
        duplicates = [r.duplicate_of for r in results[:5]]
        self.assertTrue(all(d is not None for d in duplicates), results[:5])
        report("lost_connection", key="py-lost", jobs=12, ids=[r.id for r in results], duplicates=duplicates)

    def test_an_empty_key_is_invalid_and_the_rest_of_the_batch_goes_in(self):
        with connect() as p:
            with self.assertRaises(RejectedError) as e:
                p.submit("", b"x")
            self.assertEqual(e.exception.code, "INVALID")
            self.assertEqual(e.exception.reason, "key must not be empty")
            results = p.submit_many([("py-mixed", "a"), ("", "b"), ("py-mixed", "c")])
            self.assertEqual(results[1].rejection.code, "INVALID")
            self.assertTrue(results[0].ok and results[2].ok)
            report("empty_key", code=e.exception.code, reason=e.exception.reason, key="py-mixed")

    def test_an_unknown_namespace_is_rejected(self):
        host, port = address()
        with Producer.connect(host, port, "py-no-such-namespace", auth_token=os.environ.get("SERIATIM_AUTH_TOKEN")) as p:
            with self.assertRaises(RejectedError) as e:
                p.submit("k", b"x")
            self.assertEqual(e.exception.code, "UNKNOWN_NAMESPACE")
            report("unknown_namespace", code=e.exception.code, reason=e.exception.reason)

    def test_a_batch_over_max_batch_jobs_is_refused_whole_and_the_producer_splits_instead(self):
        host, port = address()
        c = Connection(host, port).open()
        try:
            limit = c.hello("py-test", os.environ.get("SERIATIM_AUTH_TOKEN")).max_batch_jobs
            if not limit or limit > 10000:
                self.skipTest("the gateway announces max_batch_jobs %d; this test wants a small one" % limit)
            jobs = [wire.submit_job("py-too-large", b"x") for _ in range(limit + 1)]
            c.send(wire.frame(wire.submit_batch(1, NAMESPACE, jobs, "py-test-too-large:1")))
            number, answer = c.read()
            self.assertEqual(number, wire.RESULTS)
            self.assertEqual(answer.results, [])
            self.assertEqual(answer.refused.code, "BATCH_TOO_LARGE")
        finally:
            c.close()
        with connect() as p:
            self.assertEqual(p.hello_ok.max_batch_jobs, limit)
            results = p.submit_many([("py-split", str(i)) for i in range(limit + 1)])
            self.assertTrue(all(r.job_id is not None for r in results))
        report("too_large", key="py-too-large", code=answer.refused.code, limit=limit, split_key="py-split",
               split_jobs=limit + 1)

    def test_gateway_errors_are_raised_with_their_code(self):
        host, port = address()
        c = Connection(host, port).open()
        try:
            with self.assertRaises(GatewayError) as e:
                c.hello("py-test", protocol_version=9)
            self.assertEqual(e.exception.code, "UNSUPPORTED_VERSION")
        finally:
            c.close()
        c = Connection(host, port).open()
        try:
            c.hello("py-test", os.environ.get("SERIATIM_AUTH_TOKEN"))
            c.send(b"\x03\xff\xff\xff")  # a frame that is no Envelope
            number, error = c.read()
            self.assertEqual(number, wire.ERROR)
            self.assertEqual(error.code, "BAD_FRAME")
        finally:
            c.close()
        report("errors", codes=[e.exception.code, error.code])

    def test_an_unreachable_gateway_is_one_error_saying_nothing_was_sent(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
        s.close()
        with self.assertRaises(UnreachableError) as e:
            Producer.connect("127.0.0.1", dead, NAMESPACE)
        self.assertIn("nothing was sent", str(e.exception))


if __name__ == "__main__":
    unittest.main()
