"""A rank that fails ends the whole data-parallel job: within seconds, with a non-zero status and a
message naming the rank, never a hang; rank 0's checkpoint stays a whole file.

usage: run_failure_cases.py MPIRUN FAILURE_CHILD WORKDIR   (run by CTest; Open MPI's root and
container settings come from the test's environment)
"""
import json
import os
import struct
import subprocess
import sys
import time

MPIRUN, CHILD, WORK = sys.argv[1:4]
LIMIT = 60  # seconds: far beyond what a failure takes; reaching it means the job hung


def whole_safetensors(path):
    """The file parses as safetensors: header length, JSON header, and exactly the bytes it describes."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
    return len(blob) == 8 + n + end


def run(mode, step):
    ckpt = os.path.join(WORK, f"{mode}.safetensors")
    if os.path.exists(ckpt):
        os.remove(ckpt)
    cmd = [MPIRUN, "--oversubscribe", "--bind-to", "none", "-np", "2", CHILD, mode, str(step), ckpt]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        print(f"FAIL {mode}: the job still ran after {LIMIT} s (a hang)")
        return False
    seconds = time.monotonic() - t0
    out = p.stdout
    ok = True
    if mode == "none":
        ok = p.returncode == 0
        print(f"{mode}: status {p.returncode} in {seconds:.1f} s")
    else:
        names_rank = "rank 1" in out or "[[" in out and ",1]" in out
        ok = p.returncode != 0 and names_rank
        print(f"{mode}: status {p.returncode} in {seconds:.1f} s; names rank 1: {names_rank}")
    if os.path.exists(ckpt):
        whole = whole_safetensors(ckpt)
        print(f"  checkpoint whole: {whole}")
        ok = ok and whole
    elif mode == "none" or step > 2:
        print("  no checkpoint was written")
        ok = False
    if not ok:
        print("FAIL; the job printed:\n" + out)
    return ok


results = [run("none", 0), run("raise", 10), run("return", 10), run("kill", 10)]
sys.exit(0 if all(results) else 1)
