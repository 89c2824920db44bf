"""Gate scans under load: throughput of POST /api/v1/access/scans (verify the signed pass +
decide + record the passage) beside a trivial endpoint in one run, and its latency at a fixed
100 scans/s (a shift change at a large plant across all its gates).

Builds (or reuses) an organization "bench-scan" with --staff people, each with a health code
(1% red, 3% yellow), a water plant with one gate and an enrolled scanner device, in the
database named by DATABASE_URL; signs one phone pass per person in advance; starts gunicorn
(headwater.wsgi, DEBUG=false) on a free port of 127.0.0.1. Then:

1. max throughput with wrk: the scan (the device's bearer token, every request another
   person's pass and a unique key) and the trivial endpoint GET /api/v1/response-level (a
   guard's session: one small read), each after a warm-up, and their ratio (target >= 0.6);
2. p50/p99 at 100 scans/s from a paced client of our own (wrk2 is not at hand): a request is
   due every 10 ms, sent by a pool of threads on keep-alive connections, and its latency is
   counted from when it was due (so a stall is not hidden: no coordinated omission).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_scan \\
        .venv/bin/python bench/access_scan.py

Prints the SQL queries of one scan too (in-process, warm memory).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

SCAN = "/api/v1/access/scans"
TRIVIAL = "/api/v1/response-level"
SLUG = "bench-scan"
SESSION_KEY = "benchscanguard000000000000000001"
TOKEN_SECONDS = 900  # passes signed in advance must outlive the whole run


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--staff", type=int, default=3000)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--duration", type=int, default=15)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--rate", type=int, default=100, help="scans per second of the paced run")
    p.add_argument("--paced-seconds", type=int, default=20)
    p.add_argument("--show-sql", action="store_true")
    return p.parse_args()


# --- Data ----------------------------------------------------------------------------------


def ensure_world(staff: int):
    """The bench organization, its people and codes, a plant, a gate with its scanner and a
    guard with a session; returns (organization, gate, raw device token)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from headwater.access import signing
    from headwater.access.models import Gate, GateDevice
    from headwater.core.models import DeviceToken, Organization, Person, RoleGrant, Site, Unit, User
    from headwater.health.models import HealthCode

    org, _ = Organization.objects.get_or_create(slug=SLUG, defaults={"name": "压测水务"})
    root = Unit.objects.filter(organization=org, depth=1).first()
    if root is None:
        root = Unit.objects.add_root({"organization": org, "name": "压测水务", "code": "BS"})
    units = list(Unit.objects.filter(organization=org, depth=2))
    for i in range(len(units), 20):
        fields = {"organization": org, "name": f"班组{i}", "code": f"BS{i:02d}"}
        units.append(Unit.objects.add_child(root, fields))
    have = Person.objects.filter(organization=org).count()
    Person.objects.bulk_create(
        [
            Person(organization=org, unit=units[i % 20], employee_no=f"B{i:06d}", name=f"员工{i}")
            for i in range(have, staff)
        ],
        batch_size=5000,
    )
    ids = list(Person.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True))
    HealthCode.objects.filter(organization=org).delete()
    HealthCode.objects.bulk_create(
        [
            HealthCode(
                organization=org,
                person_id=pid,
                colour="red" if i % 100 == 7 else "yellow" if i % 100 in (3, 40, 77) else "green",
                reason="压测",
                rule_set_version=1,
            )
            for i, pid in enumerate(ids)
        ],
        batch_size=5000,
    )
    site, _ = Site.objects.get_or_create(
        organization=org,
        code="BSP",
        defaults={"name": "压测水厂", "kind": "water_plant", "unit": root},
    )
    gate, _ = Gate.objects.get_or_create(
        organization=org, site=site, name="一号门", defaults={"kind": "gate"}
    )
    GateDevice.objects.filter(gate=gate).delete()
    DeviceToken.objects.filter(organization=org).delete()
    device, raw = DeviceToken.issue(org, "压测扫码枪", site)
    GateDevice.objects.create(organization=org, gate=gate, device=device)
    signing.ensure_key(org)
    guard, _ = User.objects.get_or_create(
        username="bench-scan-guard", defaults={"organization": org, "password": "!unusable"}
    )
    RoleGrant.objects.get_or_create(user=guard, role="guard", unit=root, site=site)
    Session.objects.filter(session_key=SESSION_KEY).delete()
    Session.objects.create(
        session_key=SESSION_KEY,
        session_data=SessionStore().encode(
            {
                "_auth_user_id": str(guard.pk),
                "_auth_user_backend": "headwater.core.backends.RoleBackend",
                "_auth_user_hash": guard.get_session_auth_hash(),
            }
        ),
        expire_date=timezone.now() + dt.timedelta(days=1),
    )
    return org, gate, raw, ids


def sign_passes(org, ids: list[int]) -> list[str]:
    from headwater.access import signing
    from headwater.core import clock

    key = signing.ensure_key(org)
    expires = int(clock.now().timestamp()) + TOKEN_SECONDS
    return [signing.sign(key, signing.KIND_PASS, pid, expires=expires) for pid in ids]


def show_queries(raw: str, tokens: list[str], show_sql: bool) -> None:
    """The SQL of one scan as a warm worker sends it (the gate's facts in memory)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    nonce = f"q{time.time_ns()}"

    def post(i: int):
        at = dt.datetime.now(dt.UTC).isoformat()
        body = {"token": tokens[i], "key": f"{nonce}-{i}", "temperature": "36.5", "at": at}
        return client.post(SCAN, body, content_type="application/json", **headers)

    post(0)
    with CaptureQueriesContext(connection) as seen:
        r = post(1)
    print(f"SQL queries of one scan (HTTP {r.status_code}, warm memory): {len(seen)}")
    if show_sql:
        for q in seen.captured_queries:
            print(f"    {q['sql'][:150]}")
    guard = Client()
    guard.cookies["sessionid"] = SESSION_KEY
    timings = {"scan": [], "trivial": []}
    for i in range(2, 202):  # alternating, so that both see the same machine
        started = time.perf_counter()
        post(i)
        timings["scan"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        guard.get(TRIVIAL)
        timings["trivial"].append((time.perf_counter() - started) * 1000)
    scan, trivial = (statistics.median(timings[k]) for k in ("scan", "trivial"))
    print(
        f"in-process, 200 each, alternating: scan median {scan:.1f} ms, trivial median "
        f"{trivial:.1f} ms (ratio of rates {trivial / scan:.2f})"
    )


# --- Server and load -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR"}
    env.pop("HEADWATER_PRODUCTION", None)
    cmd = [sys.executable, "-m", "gunicorn", "headwater.wsgi", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--workers", str(workers), "--backlog", "2048", "--log-level", "warning"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 180 s")


LUA = """-- generated by bench/access_scan.py: each request another person's pass, a fresh key
local tokens = {}
for line in io.lines("%(tokens)s") do tokens[#tokens + 1] = line end
local n, method, path = #tokens, "%(method)s", "%(path)s"
local nonce, bearer, session = "%(nonce)s", "%(bearer)s", "%(session)s"
local counter, threads = 0, {}
s200, s201, sother, other = 0, 0, 0, 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  nthreads = tonumber(args[1])
end

function request()
  counter = counter + 1
  if method == "GET" then
    return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. session})
  end
  local token = tokens[((counter * nthreads + tid) %% n) + 1]
  local headers = {["Authorization"] = "Bearer " .. bearer,
                   ["Content-Type"] = "application/json"}
  local body = '{"token": "' .. token .. '", "key": "' .. nonce .. '-' .. tid .. '-'
    .. counter .. '", "temperature": "36.' .. (counter %% 8) .. '", "direction": "in", '
    .. '"at": "' .. os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ") .. '"}'
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then s201 = s201 + 1
  elseif status == 200 then s200 = s200 + 1
  else sother = sother + 1; other = status end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d p50=%%d p99=%%d "
    .. "connect=%%d read=%%d write=%%d timeout=%%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.timeout))
  local a, b, c, last = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a, b, c = a + t:get("s200"), b + t:get("s201"), c + t:get("sother")
    if t:get("other") ~= 0 then last = t:get("other") end
  end
  io.write(string.format("STATUS 200 %%d\\nSTATUS 201 %%d\\nSTATUS %%d %%d\\n", a, b, last, c))
end
"""


def run_wrk(args, port, tokens_file, raw, method, path, seconds) -> dict:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(
        LUA
        % {
            "tokens": tokens_file,
            "method": method,
            "path": path,
            "nonce": f"w{time.time_ns()}",
            "bearer": raw,
            "session": SESSION_KEY,
        }
    )
    script.close()
    threads = min(args.wrk_threads, args.clients)
    cmd = ["wrk", "-t", str(threads), "-c", str(args.clients), "-d", f"{seconds}s"]
    cmd += ["--timeout", "5s", "-s", script.name, f"http://127.0.0.1:{port}{path}", "--"]
    out = subprocess.run(cmd + [str(threads)], capture_output=True, text=True).stdout
    os.unlink(script.name)
    line = re.search(r"^BENCH (.*)$", out, re.M)
    if not line:
        raise SystemExit(f"wrk said:\n{out}")
    result = {k: int(v) for k, v in (p.split("=") for p in line.group(1).split())}
    statuses = {int(c): int(n) for c, n in re.findall(r"^STATUS (\d+) (\d+)$", out, re.M)}
    result["statuses"] = {c: n for c, n in statuses.items() if n}
    ok = sum(n for c, n in result["statuses"].items() if 200 <= c < 300)
    result["rps"] = ok / (result["duration_us"] / 1e6)
    return result


def report(label: str, r: dict) -> None:
    codes = " ".join(f"{c}:{n}" for c, n in sorted(r["statuses"].items()))
    print(
        f"  {label:<32} {r['rps']:>7.0f}/s  p50 {r['p50'] / 1000:>6.1f} ms  "
        f"p99 {r['p99'] / 1000:>6.1f} ms  [{codes}]"
    )


def paced(port: int, raw: str, tokens: list[str], rate: int, seconds: int) -> list[float]:
    """Latencies (ms) of `rate` scans a second for `seconds`, each counted from when it was
    due; a pool of threads on keep-alive connections sends them."""
    due: queue.Queue = queue.Queue()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    nonce = f"p{time.time_ns()}"
    headers = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            item = due.get()
            if item is None:
                return
            i, when = item
            at = dt.datetime.now(dt.UTC).isoformat()  # the scanner sends its scan time
            body = json.dumps({"token": tokens[i % len(tokens)], "key": f"{nonce}-{i}", "at": at})
            try:
                conn.request("POST", SCAN, body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                status = 0
            elapsed = (time.perf_counter() - when) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(16)]
    for t in pool:
        t.start()
    start = time.perf_counter() + 0.2
    for i in range(rate * seconds):
        when = start + i / rate
        pause = when - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        due.put((i, when))
    for _ in pool:
        due.put(None)
    for t in pool:
        t.join()
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    org, gate, raw, ids = ensure_world(args.staff)
    tokens = sign_passes(org, ids)
    print(f"database: {connection.vendor}; staff: {len(ids):,}; gate {gate.name} (id {gate.pk})")
    show_queries(raw, tokens, args.show_sql)
    tokens_file = tempfile.NamedTemporaryFile("w", suffix=".tokens", delete=False)
    tokens_file.write("".join(f"{t}\n" for t in tokens))
    tokens_file.close()
    port = free_port()
    server = start_server(args.workers, port)
    print(
        f"gunicorn headwater.wsgi on 127.0.0.1:{port}: {args.workers} sync workers; "
        f"wrk {args.wrk_threads} threads x {args.clients} connections, {args.duration} s runs "
        f"after {args.warmup} s warm-up; machine load {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    try:
        run_wrk(args, port, tokens_file.name, raw, "POST", SCAN, args.warmup)
        scan = run_wrk(args, port, tokens_file.name, raw, "POST", SCAN, args.duration)
        run_wrk(args, port, tokens_file.name, raw, "GET", TRIVIAL, args.warmup)
        trivial = run_wrk(args, port, tokens_file.name, raw, "GET", TRIVIAL, args.duration)
        print("max throughput:")
        report(f"GET {TRIVIAL}", trivial)
        report(f"POST {SCAN}", scan)
        ratio = scan["rps"] / max(trivial["rps"], 1e-9)
        print(
            f"  trivial {trivial['rps']:.0f}/s, scan {scan['rps']:.0f}/s, ratio {ratio:.2f} "
            f"(target >= 0.6)"
        )
        time.sleep(2)
        print(f"paced: {args.rate} scans/s for {args.paced_seconds} s")
        latencies = paced(port, raw, tokens, args.rate, args.paced_seconds)
        print(
            f"  p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
            f"max {max(latencies):.1f} ms, mean {statistics.mean(latencies):.1f} ms "
            f"(target p99 < 30 ms)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(tokens_file.name)


if __name__ == "__main__":
    main()
