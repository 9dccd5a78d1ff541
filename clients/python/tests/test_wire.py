"""The hand-written encoding against the bytes docs/protocol.md gives; no gateway needed."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from seriatim_client import wire  # noqa: E402


class WireTest(unittest.TestCase):
    def test_hello_frame_is_the_documented_example(self):
        # docs/protocol.md, "A Hello frame, byte by byte".
        self.assertEqual(wire.frame(wire.hello(1, "py")), bytes.fromhex("080a0608011202 7079".replace(" ", "")))

    def test_varints(self):
        self.assertEqual(wire.varint(0), b"\x00")
        self.assertEqual(wire.varint(1), b"\x01")
        self.assertEqual(wire.varint(300), b"\xac\x02")
        self.assertEqual(wire.varint(-1), b"\xff" * 9 + b"\x01")
        self.assertEqual(wire.read_varint(b"\xac\x02", 0), (300, 2))

    def test_a_job_with_headers_dedup_id_and_a_zero_delay(self):
        job = wire.submit_job("k", b"x", {"a": "b"}, "d", 0)
        self.assertEqual(job, bytes.fromhex("0a016b" "120178" "1a06" "0a0161" "120162" "220164" "2800"))

    def test_an_empty_key_is_left_out_as_proto3_does(self):
        self.assertEqual(wire.submit_job("", b"x"), bytes.fromhex("120178"))

    def test_results_decode_each_outcome_and_skip_unknown_fields(self):
        rejected = wire.message_field(3, wire.uint_field(1, 1) + wire.string_field(2, "key must not be empty"))
        body = (wire.uint_field(1, 7)
                + wire.message_field(2, wire.uint_field(1, 42))
                + wire.message_field(2, wire.uint_field(2, 41))
                + wire.message_field(2, rejected)
                + wire.uint_field(99, 5)  # a field from a newer gateway
                + wire.bytes_field(98, b"zz"))
        number, results = wire.envelope(wire.message_field(wire.RESULTS, body))
        self.assertEqual(number, wire.RESULTS)
        self.assertEqual(results.request_id, 7)
        self.assertEqual([r.id for r in results.results], [42, 41, None])
        self.assertEqual(results.results[1].duplicate_of, 41)
        self.assertEqual(results.results[2].rejection.code, "INVALID")
        self.assertEqual(results.results[2].rejection.reason, "key must not be empty")
        self.assertIsNone(results.refused)

    def test_a_refused_batch_and_an_error(self):
        refused = wire.message_field(3, wire.uint_field(1, 4) + wire.string_field(2, "split it"))
        _, results = wire.envelope(wire.message_field(wire.RESULTS, wire.uint_field(1, 3) + refused))
        self.assertEqual(results.results, [])
        self.assertEqual(results.refused.code, "BATCH_TOO_LARGE")
        _, error = wire.envelope(wire.message_field(wire.ERROR, wire.uint_field(1, 2) + wire.string_field(2, "v9")))
        self.assertEqual((error.code, error.message), ("UNSUPPORTED_VERSION", "v9"))

    def test_bad_bytes_are_a_decode_error(self):
        with self.assertRaises(wire.DecodeError):
            wire.envelope(b"\x12\x05ab")
        with self.assertRaises(wire.DecodeError):
            wire.envelope(b"\x0b")  # a group


if __name__ == "__main__":
    unittest.main()
