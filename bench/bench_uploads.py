"""upload_bomb_s, upload_bomb_peak_mb, upload_legit_max_s, upload_legit_max_peak_mb.

Hostile spreadsheets (tests/upload_bombs.py: a shared-strings bomb, a 50,020 x 300
sheet, a CSV with a million columns — 400,000 for questions, whose files are capped
at 5 MB) are handed to the roster upload request (header and first row), to the
roster dry-run job (every row) and to question import, each in a fresh
Python process: ``upload_bomb_s`` is the worst time to accept or refuse one,
``upload_bomb_peak_mb`` the worst peak RSS of such a process (Django loaded, file
read, bomb refused). A process that runs past BENCH_UPLOAD_TIMEOUT seconds (120)
is stopped and counted at that time with the peak it had reached; no process
is let past BENCH_UPLOAD_MEMORY_MB (4,096) of address space (it then counts as that).

``upload_legit_max_*``: the largest roster we accept (50,000 rows x 20 columns,
written by openpyxl with every text inline), through the upload request (it must
be accepted, within 10 s) and through the dry-run job's read of every row.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.upload_bombs import million_columns_csv, shared_strings_bomb, wide_sheet_bomb

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, os, resource, sys, time
import django
django.setup()
from cadres.roster import importing as ri
from assessments import formats
target, fmt, path = sys.argv[1:4]
data = open(path, "rb").read()
started = time.perf_counter()
try:
    if target == "roster":  # the upload request: header and first row only
        sheet = ri.open_sheet(data, file_name="bomb." + fmt)
        next(iter(sheet.rows), None)
        outcome = "accepted"
    elif target == "roster job":  # the dry-run job reads every row
        ri.read_sheet(data, file_name="bomb." + fmt)
        outcome = "accepted"
    else:
        result = formats.parse(data, fmt)
        outcome = "refused" if result.rejections else "accepted"
except ri.RosterFileError as exc:
    outcome = "refused"
elapsed = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a
# large bench process would report its parent's size.
peak = next(
    int(line.split()[1]) / 1024
    for line in open("/proc/self/status")
    if line.startswith("VmHWM:")
)
print(json.dumps({"s": elapsed, "peak_mb": peak, "outcome": outcome}))
"""


def _limit_memory(megabytes: int):
    def apply():
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply


def _high_water_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _run(target: str, fmt: str, data: bytes, timeout: int, memory_mb: int) -> dict:
    """Run one bomb in a child; a child stopped at the time limit reports the
    peak RSS it had reached (read from /proc while it ran)."""
    with tempfile.NamedTemporaryFile(suffix="." + fmt) as handle:
        handle.write(data)
        handle.flush()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", CHILD, target, fmt, handle.name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=_limit_memory(memory_mb),  # noqa: PLW1509
        )
        started, peak = time.monotonic(), 0.0
        while child.poll() is None:
            peak = max(peak, _high_water_mb(child.pid))
            if time.monotonic() - started > timeout:
                child.kill()
                child.wait()
                return {"s": float(timeout), "peak_mb": peak, "outcome": "stopped at time limit"}
            time.sleep(0.2)
        output = child.stdout.read()
    lines = output.strip().splitlines()
    if child.returncode or not lines:
        return {"s": time.monotonic() - started, "peak_mb": float(memory_mb), "outcome": "crashed"}
    return json.loads(lines[-1])


def run() -> list[dict]:
    timeout = int(os.environ.get("BENCH_UPLOAD_TIMEOUT", "120"))
    memory_mb = int(os.environ.get("BENCH_UPLOAD_MEMORY_MB", "4096"))
    cases = [
        ("roster", "xlsx", "shared strings", shared_strings_bomb()),
        ("roster", "xlsx", "50,020 x 300", wide_sheet_bomb()),
        ("roster", "csv", "1,000,000 columns", million_columns_csv()),
        ("roster job", "xlsx", "shared strings", shared_strings_bomb()),
        ("roster job", "xlsx", "50,020 x 300", wide_sheet_bomb()),
        ("roster job", "csv", "1,000,000 columns", million_columns_csv()),
        ("questions", "xlsx", "shared strings", shared_strings_bomb()),
        ("questions", "xlsx", "50,020 x 300", wide_sheet_bomb()),
        ("questions", "csv", "400,000 columns", million_columns_csv(400_000)),
    ]
    worst_s, worst_mb, notes = 0.0, 0.0, []
    for target, fmt, label, data in cases:
        found = _run(target, fmt, data, timeout, memory_mb)
        seconds, peak = found["s"], found["peak_mb"]
        worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, peak)
        notes.append(
            f"{target} {label} ({len(data) // 1024} KB): {found['outcome']} "
            f"{seconds:.2f} s {peak:.0f} MB"
        )
        print("   ", notes[-1], flush=True)
    note = "; ".join(notes)
    legit = _largest_legitimate_roster()
    request = _run("roster", "xlsx", legit, timeout, memory_mb)
    job = _run("roster job", "xlsx", legit, max(timeout, 300), memory_mb)
    legit_note = (
        f"50,000 x 20 XLSX ({len(legit) // 1024} KB), upload request: {request['outcome']}"
        f" {request['s']:.2f} s {request['peak_mb']:.0f} MB; the job's read of every row:"
        f" {job['outcome']} {job['s']:.1f} s {job['peak_mb']:.0f} MB"
    )
    print("   ", legit_note, flush=True)
    if request["outcome"] != "accepted":
        legit_note = "REFUSED: " + legit_note
    return [
        {"name": "upload_bomb_s", "value": round(worst_s, 2), "unit": "s", "note": note},
        {"name": "upload_bomb_peak_mb", "value": round(worst_mb), "unit": "MB", "note": ""},
        {
            "name": "upload_legit_max_s",
            "value": round(request["s"], 2),
            "unit": "s",
            "note": legit_note,
        },
        {
            "name": "upload_legit_max_peak_mb",
            "value": round(max(request["peak_mb"], job["peak_mb"])),
            "unit": "MB",
            "note": "peak RSS of the request's and the job's process",
        },
    ]


def _largest_legitimate_roster() -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách cán bộ")
    sheet.append([f"Cột {c}" for c in range(20)])
    for r in range(50_000):
        sheet.append(
            [r + 1, f"TN{r:06d}", f"Nguyễn Văn {r}", "05/03/1988", "Chủ tịch", "x"]
            + [f"Ghi chú {r}-{c}" for c in range(14)]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
