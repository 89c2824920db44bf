"""Check-ins under load: throughput and latency of POST /api/v1/health/checkins on the real
application server, beside a trivial JSON endpoint; and, with --days, the office overview and
the unit completion over a fortnight of check-ins.

Builds (or reuses) the demo organization with --staff people in the database named by
DATABASE_URL, gives --people of them a login and a session, starts gunicorn (headwater.wsgi,
DEBUG=false) on a free port of 127.0.0.1 and drives it with wrk (apt-get install wrk): each
request is another person's check-in with its own Idempotency-Key, ~1% of them abnormal.
Before the timed run the bench people's check-ins of today are deleted and their codes set
back to green, so every run starts alike (first posts create, later ones correct).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_checkin \
        .venv/bin/python bench/checkin.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_checkin_100k \
        .venv/bin/python bench/checkin.py --staff 100000 --days 14

Prints requests/s, p50/p99 latency and the ratio to the trivial endpoint; the SQL queries one
check-in sends; CPU per request of the app workers, PostgreSQL and wrk; with --days, the
median of --runs timings of the overview and completion reads (in-process).
"""

import argparse
import datetime as dt
import io
import os
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

CHECKIN = "/api/v1/health/checkins"
TRIVIAL = "/api/v1/response-level"
CSRF = "BenchCsrfSecret0123456789abcdefg"  # a 32-character CSRF secret, cookie and header
SESSION_PREFIX = "benchckin"
BENCH_PASSWORD = "!bench-unusable"  # an unusable password: these logins only have sessions
TICK = os.sysconf("SC_CLK_TCK")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--staff", type=int, default=2700)
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--people", type=int, default=3000, help="people posting (max: active staff)")
    p.add_argument("--clients", default="32", help="concurrent connections, e.g. 16,32,64")
    p.add_argument("--duration", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--worker-class", default="sync")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--abnormal-every", type=int, default=100, help="every Nth check-in abnormal")
    p.add_argument("--days", type=int, default=0, help="days of history; times the overview")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--no-load", action="store_true", help="skip the HTTP load")
    p.add_argument("--show-sql", action="store_true", help="print one check-in's SQL")
    p.add_argument("--py-spy", metavar="FILE", help="profile the workers (py-spy record)")
    return p.parse_args()


# --- Data ----------------------------------------------------------------------------------


def ensure_demo(staff: int, seed: int):
    """The core demo (units, people, logins) without the capabilities' demo data: the bench
    writes its own check-in history (fill_history), with a known share of abnormal ones."""
    from headwater.core import demo
    from headwater.core.models import Person

    org = demo.Organization.objects.filter(slug=demo.SLUG).first()
    if org is None or Person.objects.filter(organization=org).count() != staff:
        started = time.perf_counter()
        extensions, demo.EXTENSIONS[:] = list(demo.EXTENSIONS), []
        try:
            demo.run(staff=staff, seed=seed, reset=True)
        finally:
            demo.EXTENSIONS[:] = extensions
        print(f"built demo with {staff:,} staff in {time.perf_counter() - started:.1f} s")
        org = demo.Organization.objects.get(slug=demo.SLUG)
    return org


def ensure_codes(org) -> None:
    """Everybody has a current code, as from the second day of check-ins on."""
    from headwater.health.models import HealthCode
    from headwater.health.services import active_rule_set

    version = active_rule_set(org).version
    have = HealthCode.objects.filter(organization=org, is_current=True).values("person_id")
    missing = org.people.active().exclude(pk__in=have).values_list("pk", flat=True)
    HealthCode.objects.bulk_create(
        (
            HealthCode(
                organization=org,
                person_id=pk,
                colour="green",
                reason="近期打卡未见风险",
                rule_set_version=version,
            )
            for pk in missing.iterator()
        ),
        batch_size=5000,
    )


def _shanghai(day: dt.date, hour: int, minute: int) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def _history_rows(org, people, day: dt.date, seed: int, now: dt.datetime):
    """TSV rows (COPY text format) of one day: 97% check in per slot, 1% of those abnormal;
    today only the slots opened so far. Deterministic for a seed and a date."""
    rng = random.Random(f"{seed}-{day.isoformat()}")
    for slot, hour in (("am", 7), ("pm", 13)):
        at = _shanghai(day, hour, 0)
        if at > now:
            continue
        for pid, uid in people:
            if rng.random() >= 0.97:
                continue
            abnormal = rng.random() < 0.01
            temp = f"{rng.uniform(37.3, 38.6):.1f}" if abnormal else f"{rng.uniform(36, 36.9):.1f}"
            symptoms = '["cough"]' if abnormal and rng.random() < 0.4 else "[]"
            ts = (at + dt.timedelta(seconds=rng.randrange(3600))).isoformat()
            yield (
                f"{org.pk}\t{pid}\t{uid}\t{day}\t{slot}\t{temp}\t{symptoms}\tat_work\t\tf\t\t\\N\t"
                f"f\tf\tf\t\\N\twell\t\t{'t' if abnormal else 'f'}\t{ts}\t{ts}\n"
            )


COPY_COLUMNS = (
    "organization_id, person_id, unit_id, date, slot, temperature, symptoms, whereabouts, "
    "location_note, left_city, travel_to, returned_on, contact_confirmed, contact_suspected, "
    "contact_risk_area, last_contact_on, household, household_note, is_abnormal, "
    "submitted_at, updated_at"
)


def fill_history(org, days: int, seed: int) -> None:
    """Check-ins for each of the last `days` days (today included) that has none yet."""
    from django.db import connection, transaction

    from headwater.core import clock
    from headwater.health.models import CheckIn

    if connection.vendor != "postgresql":
        raise SystemExit("--days needs PostgreSQL (the history is written with COPY)")
    people = list(org.people.active().order_by("pk").values_list("pk", "unit_id"))
    now, today = clock.now(), clock.today()
    for back in range(days - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        if CheckIn.objects.filter(organization=org, date=day).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor() as cur:
                with cur.copy(f"COPY health_checkin ({COPY_COLUMNS}) FROM STDIN") as copy:
                    buf = io.StringIO()
                    for n, row in enumerate(_history_rows(org, people, day, seed, now), 1):
                        buf.write(row)
                        if n % 20000 == 0:
                            copy.write(buf.getvalue())
                            buf = io.StringIO()
                    copy.write(buf.getvalue())
        print(f"  check-ins of {day}: {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:  # as autovacuum would have by now: index-only scans
        cur.execute("VACUUM ANALYZE health_checkin")


def ensure_reporting_units(org) -> None:
    """A unit head for every plant and department (depth 2), and today's reports: honest
    ones at 09:00, except one zero report that leaves out an abnormal member."""
    from django.db.models import Count

    from headwater.core import clock
    from headwater.core.models import RoleGrant, Unit, User
    from headwater.health.models import CheckIn, UnitReport

    today = clock.today()
    for unit in Unit.objects.filter(organization=org, depth=2):
        if RoleGrant.objects.filter(role="unit_head", unit=unit).exists():
            continue
        person = org.people.filter(unit=unit, user__isnull=True).order_by("employee_no").first()
        if person:
            user = User.objects.create(
                username=f"bench-head-{unit.code.lower()}",
                person=person,
                organization=org,
                password=BENCH_PASSWORD,
            )
            RoleGrant.objects.create(user=user, role="unit_head", unit=unit)
    heads = RoleGrant.objects.filter(role="unit_head", user__organization=org).values("unit_id")
    concealed = False
    at = min(_shanghai(today, 9, 0), clock.now())
    for unit in Unit.objects.filter(pk__in=heads).order_by("path"):
        if UnitReport.objects.filter(unit=unit, date=today).exists():
            continue
        n = CheckIn.objects.filter(
            unit__path__startswith=unit.path, date=today, is_abnormal=True, submitted_at__lte=at
        ).aggregate(n=Count("person_id", distinct=True))["n"]
        hide = n > 0 and not concealed
        concealed = concealed or hide
        staff = org.people.active().filter(unit__path__startswith=unit.path).count()
        UnitReport.objects.create(
            organization=org,
            unit=unit,
            date=today,
            on_duty=staff - n,
            abnormal=0 if hide else n,
            is_zero=hide or n == 0,
            submitted_at=at,
        )


def bench_sessions(org, limit: int) -> list[tuple[int, str]]:
    """(person id, session key) of up to `limit` active people: a login each (made once) and a
    fresh session (replaced each run)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from headwater.core.models import RoleGrant, User

    free = org.people.active().filter(user__isnull=True).order_by("employee_no")
    have = User.objects.filter(organization=org, username__startswith="bench-p-").count()
    new = [
        User(
            username=f"bench-p-{p.employee_no}", person=p, organization=org, password=BENCH_PASSWORD
        )
        for p in free[: max(0, limit - have)]
    ]
    User.objects.bulk_create(new, batch_size=2000)
    users = list(
        User.objects.filter(organization=org, username__startswith="bench-p-").order_by("username")[
            :limit
        ]
    )
    granted = set(RoleGrant.objects.filter(user__in=users).values_list("user_id", flat=True))
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=u, role="staff") for u in users if u.pk not in granted], batch_size=2000
    )
    store, auth_hash = SessionStore(), users[0].get_session_auth_hash()
    Session.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    expire = timezone.now() + dt.timedelta(days=1)
    sessions = [
        Session(
            session_key=f"{SESSION_PREFIX}{u.pk:023d}",
            session_data=store.encode(
                {
                    "_auth_user_id": str(u.pk),
                    "_auth_user_backend": "headwater.core.backends.RoleBackend",
                    "_auth_user_hash": auth_hash,
                }
            ),
            expire_date=expire,
        )
        for u in users
    ]
    Session.objects.bulk_create(sessions, batch_size=2000)
    return [(u.person_id, s.session_key) for u, s in zip(users, sessions, strict=True)]


def reset_today(org, person_ids: list[int]) -> None:
    """Today's check-ins of the bench people go, and their codes are green again."""
    from auditlog.context import disable_auditlog

    from headwater.core import clock
    from headwater.health.models import CheckIn, HealthCode

    with disable_auditlog():
        CheckIn.objects.filter(person_id__in=person_ids, date=clock.today()).delete()
        HealthCode.objects.filter(person_id__in=person_ids).delete()
    ensure_codes(org)


# --- Queries of one request ----------------------------------------------------------------


def count_queries(connection, fn) -> list[str]:
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return seen


def _call_into(fn, results: list) -> None:
    results.append(fn())


def show_queries(org, sessions, show_sql: bool) -> None:
    """The SQL of a first check-in, a correction, an abnormal one and the trivial GET, as a
    running worker sends them: after another person's check-in has filled the process's
    memory of the level, settings and rule set (core.memo) and its content types."""
    from django.db import connection
    from django.test import Client

    reset_today(org, [sessions[0][0], sessions[1][0]])
    warm = Client()
    warm.cookies["sessionid"] = sessions[1][1]
    warm.post(CHECKIN, {"temperature": "36.5"}, content_type="application/json")
    client = Client()
    client.cookies["sessionid"] = sessions[0][1]
    body = {"temperature": "36.5", "whereabouts": "at_work", "household": "well"}

    def post(temperature: str, key: str):
        return client.post(
            CHECKIN,
            {**body, "temperature": temperature},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    nonce = f"q{time.time_ns()}"
    cases = [
        ("check-in (first of the slot)", partial(post, "36.5", f"{nonce}-1")),
        ("check-in (correction)", partial(post, "36.6", f"{nonce}-2")),
        ("check-in (retry of the first)", partial(post, "36.5", f"{nonce}-1")),
        ("correction to 37.8 (abnormal)", partial(post, "37.8", f"{nonce}-3")),
        (f"GET {TRIVIAL}", partial(client.get, TRIVIAL)),
    ]
    print("SQL queries per request (in-process):")
    for label, fn in cases:
        responses: list = []
        queries = count_queries(connection, partial(_call_into, fn, responses))
        status = responses[0].status_code
        print(f"  {label:<30} {len(queries):>3}  (HTTP {status})")
        if show_sql:
            for sql in queries:
                print(f"      {sql[:160]}")
    reset_today(org, [sessions[0][0], sessions[1][0]])


# --- Server and load -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR"}
    env.pop("HEADWATER_PRODUCTION", None)
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "headwater.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "--ppid", str(master), "-o", "pid="], capture_output=True, text=True
    ).stdout
    return [int(x) for x in out.split()]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return used


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used in between by the processes alive at the end (new ones count from zero)."""
    return sum(secs - before.get(pid, 0.0) for pid, secs in after.items())


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


LUA = """-- generated by bench/checkin.py: each request is the next person's, in turn
local keys = {}
for line in io.lines("%(keys)s") do keys[#keys + 1] = line end
local n, method, path, csrf = #keys, "%(method)s", "%(path)s", "%(csrf)s"
local nonce, every = "%(nonce)s", %(every)d
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
  local key = keys[((counter * nthreads + tid) %% n) + 1]
  local headers = {["Cookie"] = "sessionid=" .. key .. "; csrftoken=" .. csrf}
  if method == "GET" then return wrk.format("GET", path, headers) end
  headers["Content-Type"] = "application/json"
  headers["X-CSRFToken"] = csrf
  headers["Idempotency-Key"] = nonce .. "-" .. tid .. "-" .. counter
  local t = "36." .. (counter %% 8)
  if every > 0 and counter %% every == 0 then t = "37.8" end
  local body = '{"temperature": ' .. t .. ', "whereabouts": "at_work", "household": "well"}'
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 201 then s201 = s201 + 1
  elseif status == 200 then s200 = s200 + 1
  else sother = sother + 1; other = status end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d p50=%%d p90=%%d p99=%%d max=%%d "
    .. "connect=%%d read=%%d write=%%d status=%%d timeout=%%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
  local a, b, c, last = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a, b, c = a + t:get("s200"), b + t:get("s201"), c + t:get("sother")
    if t:get("other") ~= 0 then last = t:get("other") end
  end
  io.write(string.format("STATUS 200 %%d\\nSTATUS 201 %%d\\nSTATUS %%d %%d\\n", a, b, last, c))
end
"""


def run_wrk(
    args,
    port: int,
    keys_file: str,
    method: str,
    path: str,
    clients: int,
    seconds: int,
    server: subprocess.Popen,
) -> dict:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(
        LUA
        % {
            "keys": keys_file,
            "method": method,
            "path": path,
            "csrf": CSRF,
            "nonce": f"b{time.time_ns()}",
            "every": args.abnormal_every,
        }
    )
    script.close()
    threads = min(args.wrk_threads, clients)
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(clients),
        "-d",
        f"{seconds}s",
        "--timeout",
        "5s",
        "-s",
        script.name,
        f"http://127.0.0.1:{port}{path}",
        "--",
        str(threads),
    ]
    workers = worker_pids(server.pid)
    before = (
        cpu_seconds(workers),
        cpu_seconds(postgres_pids()),
        resource.getrusage(resource.RUSAGE_CHILDREN),
        machine_busy(),
    )
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    after = (
        cpu_seconds(workers),
        cpu_seconds(postgres_pids()),
        resource.getrusage(resource.RUSAGE_CHILDREN),
        machine_busy(),
    )
    os.unlink(script.name)
    line = re.search(r"^BENCH (.*)$", out, re.M)
    if not line:
        raise SystemExit(f"wrk said:\n{out}")
    result = {k: int(v) for k, v in (p.split("=") for p in line.group(1).split())}
    statuses = re.findall(r"^STATUS (\d+) (\d+)$", out, re.M)
    result["statuses"] = {int(c): int(n) for c, n in statuses if int(n)}
    ok = sum(n for c, n in result["statuses"].items() if 200 <= c < 300)
    secs = result["duration_us"] / 1e6
    wrk_cpu = (after[2].ru_utime + after[2].ru_stime) - (before[2].ru_utime + before[2].ru_stime)
    busy = (after[3][0] - before[3][0]) / max(1, after[3][1] - before[3][1])
    result.update(
        ok=ok,
        rps=ok / secs,
        app_cpu=cpu_delta(before[0], after[0]) / max(ok, 1),
        pg_cpu=cpu_delta(before[1], after[1]) / max(ok, 1),
        wrk_cpu=wrk_cpu / max(ok, 1),
        busy=busy,
    )
    return result


def report(label: str, r: dict) -> None:
    codes = " ".join(f"{c}:{n}" for c, n in sorted(r["statuses"].items()))
    errors = sum(r[k] for k in ("connect", "read", "write", "timeout"))
    print(
        f"  {label:<34} {r['rps']:>7.0f}/s  p50 {r['p50'] / 1000:>6.1f} ms  "
        f"p99 {r['p99'] / 1000:>6.1f} ms  [{codes}{f' socket errors {errors}' if errors else ''}]"
    )
    print(
        f"  {'':<34} CPU per request: app {r['app_cpu'] * 1000:.2f} ms, PostgreSQL "
        f"{r['pg_cpu'] * 1000:.2f} ms, wrk {r['wrk_cpu'] * 1000:.2f} ms; machine busy "
        f"{r['busy'] * 100:.0f}%"
    )


def load(args, org, sessions) -> None:
    keys = tempfile.NamedTemporaryFile("w", suffix=".keys", delete=False)
    keys.write("".join(f"{key}\n" for _, key in sessions))
    keys.close()
    people = [pid for pid, _ in sessions]
    port = free_port()
    server = start_server(args, port)
    print(
        f"gunicorn headwater.wsgi on 127.0.0.1:{port}: {args.workers} {args.worker_class} "
        f"workers x {args.threads} threads; wrk {args.wrk_threads} threads; "
        f"{len(sessions):,} people; {args.duration} s runs after {args.warmup} s warm-up"
    )
    spy = None
    try:
        for clients in [int(c) for c in args.clients.split(",")]:
            print(f"{clients} concurrent clients:")
            run_wrk(args, port, keys.name, "POST", CHECKIN, clients, args.warmup, server)
            time.sleep(1)  # let the workers finish what wrk left in the listen queue
            reset_today(org, people)
            if args.py_spy:
                spy = subprocess.Popen(
                    ["py-spy", "record", "--subprocesses", "--nonblocking", "--format", "raw"]
                    + ["-p", str(server.pid), "-d", str(args.duration), "-o", args.py_spy]
                )
            post = run_wrk(args, port, keys.name, "POST", CHECKIN, clients, args.duration, server)
            report(f"POST {CHECKIN}", post)
            if spy:
                spy.wait()
            run_wrk(args, port, keys.name, "GET", TRIVIAL, clients, args.warmup, server)
            get = run_wrk(args, port, keys.name, "GET", TRIVIAL, clients, args.duration, server)
            report(f"GET {TRIVIAL}", get)
            print(f"  ratio check-in / trivial: {post['rps'] / max(get['rps'], 1e-9):.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(keys.name)


# --- Overview and completion at scale ------------------------------------------------------


def timed(fn, runs: int) -> tuple[float, float, int]:
    from django.db import connection

    fn()
    queries = len(count_queries(connection, fn))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings), queries


def time_reads(org, runs: int) -> None:
    from django.test import Client

    from headwater.core import clock
    from headwater.core.models import Unit, User
    from headwater.health import overview, services

    office, head = User.objects.get(username="office"), User.objects.get(username="unit_head")
    unit = head.role_grants.get(role="unit_head").unit
    today = clock.today()
    deadline = services.report_deadline(org, today)
    office_client, head_client = Client(), Client()
    office_client.force_login(office)
    head_client.force_login(head)

    def page(client, url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    cases = [
        ("office", "GET /api/v1/health/overview", page(office_client, "/api/v1/health/overview")),
        (
            "office",
            "overview.organization_totals",
            lambda: overview.organization_totals(org, today),
        ),
        ("office", "overview.overview", lambda: overview.overview(office, today, deadline)),
        ("office", "overview.trend (14 days)", lambda: overview.trend(org, today)),
        (
            "unit_head",
            f"GET .../units/{unit.pk}/completion",
            page(head_client, f"/api/v1/health/units/{unit.pk}/completion"),
        ),
        ("unit_head", "overview.completion_for", lambda: overview.completion_for(head, today)),
        (
            "unit_head",
            f"overview.unit_members ({unit.code})",
            lambda: list(overview.unit_members(head, unit, today)),
        ),
    ]
    for user, client, url in (
        ("office", office_client, "/health/overview/"),
        ("unit_head", head_client, "/health/unit/"),
    ):
        try:
            ok = client.get(url).status_code == 200
        except Exception:  # the page is still being written: time the calls underneath
            ok = False
        if ok:
            cases.insert(0, (user, f"GET {url} (page)", page(client, url)))
        else:
            print(f"  ({url} does not answer 200 yet: timing the calls underneath instead)")
    members = Unit.objects.filter(path__startswith=unit.path)
    print(
        f"staff {org.people.active().count():,}; unit {unit.code} subtree "
        f"{org.people.active().filter(unit__in=members).count():,} people; "
        f"{runs} timed runs after a warm-up"
    )
    print(f"{'user':<10} {'read':<40} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for user, label, fn in cases:
        median, worst, queries = timed(fn, runs)
        print(f"{user:<10} {label:<40} {median:>10.1f} {worst:>8.1f} {queries:>8}")


# --- Main ----------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from headwater.health.models import CheckIn

    setup_test_environment()
    call_command("migrate", verbosity=0)
    org = ensure_demo(args.staff, args.seed)
    print(f"database: {connection.vendor}; staff: {org.people.count():,}")
    if args.days:
        fill_history(org, args.days, args.seed)
        ensure_reporting_units(org)
    ensure_codes(org)
    rows = CheckIn.objects.filter(organization=org)
    abnormal = rows.filter(is_abnormal=True).count()
    print(f"check-ins in the database: {rows.count():,} ({abnormal:,} abnormal)")
    if not args.no_load or args.show_sql:
        sessions = bench_sessions(org, args.people)
        show_queries(org, sessions, args.show_sql)
    if not args.no_load:
        load(args, org, sessions)
    if args.days:
        time_reads(org, args.runs)


if __name__ == "__main__":
    main()
