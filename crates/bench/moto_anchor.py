#!/usr/bin/env python3
"""The moto anchor of `cargo xtask bench`: moto's KMS backend, called directly (no HTTP, no
boto3 request parsing, no authorization, no CloudTrail), with the engine bench's op mix:
Encrypt of 64 bytes with a two-pair encryption context, Decrypt of that ciphertext with its
context, GenerateDataKey (AES_256).

Prints one JSON object: {"moto": VERSION, "Encrypt": ops_per_s, "Decrypt": ..., "GenerateDataKey":
..., "cpu": {"Encrypt": ops_per_cpu_s, ...}} (wall clock, and per CPU second of this process: on a
shared machine, wall time also counts the time other processes held the CPU).
Exits 3 (printing nothing on stdout) when moto is not installed (`pip install moto boto3`).

Usage: moto_anchor.py [BUDGET_SECONDS]   (default 1.5 s per row, after a 0.15 s warm-up)
"""

import json
import sys
import time

try:
    import moto
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.kms.models import kms_backends
except ImportError:
    print("moto is not installed (pip install moto boto3)", file=sys.stderr)
    sys.exit(3)


def measure(budget, f):
    """Calls f in batches of 16 for about `budget` seconds; returns (calls per second, calls
    per CPU second)."""
    start = time.perf_counter()
    cpu_start = time.process_time()
    n = 0
    while True:
        elapsed = time.perf_counter() - start
        if elapsed >= budget:
            cpu = time.process_time() - cpu_start
            return n / elapsed, n / max(cpu, 1e-9)
        for _ in range(16):
            f()
        n += 16


def main():
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
    backend = kms_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    key = backend.create_key(
        policy=None,
        key_usage="ENCRYPT_DECRYPT",
        key_spec="SYMMETRIC_DEFAULT",
        description="bench",
        tags=None,
    )
    plaintext = bytes([7]) * 64
    context = {"purpose": "bench", "dept": "lab"}
    blob, _ = backend.encrypt(
        key_id=key.id, plaintext=plaintext, encryption_context=context
    )

    ops = {
        "Encrypt": lambda: backend.encrypt(
            key_id=key.id, plaintext=plaintext, encryption_context=dict(context)
        ),
        "Decrypt": lambda: backend.decrypt(
            ciphertext_blob=blob, encryption_context=dict(context)
        ),
        "GenerateDataKey": lambda: backend.generate_data_key(
            key_id=key.id, encryption_context={}, number_of_bytes=None, key_spec="AES_256"
        ),
    }
    out = {"moto": moto.__version__, "cpu": {}}
    for name, f in ops.items():
        measure(budget / 10, f)
        wall, cpu = measure(budget, f)
        out[name] = round(wall, 1)
        out["cpu"][name] = round(cpu, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
