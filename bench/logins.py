"""Logins from the roster (issue 11): creating the logins of a whole organization, and the cost
of a sign-in on the real application server.

Builds (or reuses) the demo organization with --staff people in the database named by
DATABASE_URL (bench/checkin.py's builder), deletes the logins an earlier run created from the
roster, then times `core.logins.create_logins` for everyone (and a second, idempotent run).
Then starts gunicorn (headwater.wsgi, DEBUG=false) on a free port of 127.0.0.1 and times, one
request at a time with a fresh client each:

- a password sign-in (POST /login/ with the staff number and a password),
- an activation-code sign-in (POST /activate/<code>/, allauth's perform_login),
- an SMS-code sign-in (POST /login/code/confirm/ with the code the file sender wrote),

and, in this process, the configured password hasher's own cost (one check_password), which a
password sign-in pays once (a phone-number sign-in twice: ADR 0012).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_logins \\
        .venv/bin/python bench/logins.py --staff 100000
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")

CSRF = "BenchCsrfSecret0123456789abcdefg"  # a 32-character CSRF secret, cookie and field
PASSWORD = "Qingshui-bench-2026"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--staff", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--runs", type=int, default=30, help="sign-ins of each kind")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--worker-class", default="sync")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--no-server", action="store_true", help="only time the bulk creation")
    return p.parse_args()


# --- Bulk creation --------------------------------------------------------------------------


def delete_roster_logins(org) -> int:
    """Delete the logins an earlier run created from the roster (username = staff number,
    never signed in by password: the bench's own), in SQL: the demo's role logins stay."""
    from django.db import connection

    from headwater.core.models import User

    ids = list(
        User.objects.filter(organization=org, person__isnull=False)
        .exclude(username__in=_demo_usernames())
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    with connection.cursor() as cur:
        for table in ("core_activationcode", "core_rolegrant", "usersessions_usersession"):
            cur.execute(f"DELETE FROM {table} WHERE user_id = ANY(%s)", [ids])
        cur.execute("DELETE FROM core_user WHERE id = ANY(%s)", [ids])
    return len(ids)


def _demo_usernames() -> list[str]:
    from headwater.core import demo

    return [str(spec.role) for spec in demo.LOGINS] + [demo.ADMIN]


def time_creation(org) -> None:
    from headwater.core import logins
    from headwater.core.models import User

    office = User.objects.get(username="office")
    deleted = delete_roster_logins(org)
    if deleted:
        print(f"deleted {deleted:,} logins of an earlier run")
    for label in ("first run", "second run (idempotent)"):
        started = time.perf_counter()
        report = logins.create_logins(org, None, by=office)
        seconds = time.perf_counter() - started
        print(
            f"create_logins, {label}: {seconds:.1f} s — created {report.created:,}, "
            f"already had {report.already:,}, skipped {len(report.skipped):,}"
        )


# --- Sign-ins on the real server ------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def post(url: str, data: dict, cookies: str = "") -> tuple[int, float, str, str]:
    """POST a form with a fresh CSRF cookie; (status, seconds, Location, Set-Cookie)."""
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Cookie", f"csrftoken={CSRF}" + (f"; {cookies}" if cookies else ""))
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    started = time.perf_counter()
    try:
        response = OPENER.open(request, timeout=30)
        status, headers = response.status, response.headers
        response.read()
    except urllib.error.HTTPError as e:
        status, headers = e.code, e.headers
        e.read()
    seconds = time.perf_counter() - started
    cookies_out = "; ".join(
        c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [] if "csrftoken" not in c
    )
    return status, seconds, headers.get("Location", ""), cookies_out


def summary(label: str, seconds: list[float]) -> float:
    ms = sorted(s * 1000 for s in seconds)
    p50 = statistics.median(ms)
    p90 = ms[int(len(ms) * 0.9) - 1] if len(ms) >= 10 else ms[-1]
    print(f"{label}: p50 {p50:.0f} ms, p90 {p90:.0f} ms, max {ms[-1]:.0f} ms (n={len(ms)})")
    return p50


def hasher_cost(runs: int) -> float:
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    encoded = make_password(PASSWORD)
    times = []
    for _ in range(max(5, runs // 3)):
        started = time.perf_counter()
        assert check_password(PASSWORD, encoded)
        times.append(time.perf_counter() - started)
    hasher = get_hasher()
    print(f"password hasher: {hasher.algorithm} ({getattr(hasher, 'iterations', '')} iterations)")
    return summary("  one check_password, in process", times)


def sign_ins(args, org) -> None:
    from django.contrib.auth.hashers import MD5PasswordHasher, make_password
    from django.db.models import Count

    from bench.checkin import free_port, start_server
    from headwater.core import logins
    from headwater.core.accounts import normalize_phone
    from headwater.core.models import Person, User

    candidates = list(
        logins.not_activated(User.objects.filter(organization=org, person__isnull=False))
        .select_related("person")
        .order_by("pk")[: args.runs * 4]
    )
    phones = [normalize_phone(u.person.phone) for u in candidates]
    shared = set(
        Person.objects.filter(phone__in=[p for p in phones if p])
        .values("phone")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("phone", flat=True)
    )
    with_phone = [u for u, p in zip(candidates, phones, strict=True) if p and p not in shared]
    by_password, by_code, by_sms = (
        candidates[: args.runs],
        candidates[args.runs : 2 * args.runs],
        with_phone[-args.runs :],
    )
    encoded = make_password(PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in by_password]).update(password=encoded)
    codes = logins.issue_codes(by_code, by=None)

    from django.conf import settings

    os.environ["HEADWATER_SMS_SENDER"] = "headwater.core.sms.FileSender"
    os.environ["HEADWATER_RATE_LOGIN"] = "100000/m/ip"
    os.environ["HEADWATER_RATE_SMS_CODE"] = "100000/m/ip,3/5m/key"
    port = free_port()
    server = start_server(args, port)
    base = f"http://127.0.0.1:{port}"
    print(f"gunicorn headwater.wsgi on {base}: {args.workers} {args.worker_class} workers")
    try:
        post(f"{base}/login/", {"login": "nobody-warmup", "password": "x"})  # warm each worker
        post(f"{base}/login/", {"login": "nobody-warmup", "password": "x"})
        times = []
        for user in by_password:
            status, seconds, location, _c = post(
                f"{base}/login/", {"login": user.username, "password": PASSWORD}
            )
            assert status == 302 and location == "/", (status, location)
            times.append(seconds)
        password_p50 = summary("sign-in by staff number and password (POST /login/)", times)

        times = []
        for issued in codes:
            status, seconds, location, _c = post(f"{base}/activate/{issued.code}/", {})
            assert status == 302 and location.startswith("/password/set/"), (status, location)
            times.append(seconds)
        summary("sign-in by activation code (POST /activate/<code>/)", times)

        outbox = Path(settings.VAR_DIR) / "sms" / "outbox.jsonl"  # the server's FileSender
        times = []
        for user in by_sms:
            phone = normalize_phone(user.person.phone)
            status, _s, location, cookies = post(f"{base}/login/code/", {"phone": phone})
            assert status == 302, (status, location)
            line = outbox.read_text(encoding="utf-8").splitlines()[-1]
            code = "".join(c for c in json.loads(line)["text"] if c.isdigit())[:6]
            status, seconds, location, _c = post(
                f"{base}/login/code/confirm/", {"code": code}, cookies
            )
            assert status == 302 and location == "/", (status, location)
            times.append(seconds)
        summary("sign-in by SMS code (POST /login/code/confirm/)", times)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # The same password sign-ins on a server whose hasher costs nothing (bench/settings_md5.py):
    # what a sign-in costs besides the hash, measured rather than subtracted.
    User.objects.filter(pk__in=[u.pk for u in by_password]).update(
        password=MD5PasswordHasher().encode(PASSWORD, MD5PasswordHasher().salt())
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_md5"
    try:
        server = start_server(args, port := free_port())
    finally:
        os.environ["DJANGO_SETTINGS_MODULE"] = "headwater.settings"
    base = f"http://127.0.0.1:{port}"
    try:
        post(f"{base}/login/", {"login": "nobody-warmup", "password": "x"})
        post(f"{base}/login/", {"login": "nobody-warmup", "password": "x"})
        times = []
        for user in by_password:
            status, seconds, location, _c = post(
                f"{base}/login/", {"login": user.username, "password": PASSWORD}
            )
            assert status == 302 and location == "/", (status, location)
            times.append(seconds)
        summary(
            "sign-in by staff number and password, MD5 hasher (the hash's cost left out)", times
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    hash_p50 = hasher_cost(args.runs)
    print(f"password sign-in less one hash: ~{password_p50 - hash_p50:.0f} ms (p50 difference)")
    print("load average: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.checkin import ensure_demo

    call_command("migrate", verbosity=0)
    org = ensure_demo(args.staff, args.seed)
    print(f"database: {connection.vendor}; staff: {org.people.count():,}")
    print("load average: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    time_creation(org)
    if not args.no_server:
        sign_ins(args, org)


if __name__ == "__main__":
    main()
