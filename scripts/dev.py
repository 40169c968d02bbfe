"""``make run`` / ``make test`` / ``make bench``: one entry point that sets up and runs.

Usage: python -m scripts.dev run | test [pytest args] | bench [name] | messages | totp
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from scripts.services import DATA, PGBOUNCER, ROOT, ensure_services, manage

BROWSER = "/usr/bin/chromium"


def _banner(env: dict[str, str], started: float) -> None:
    sys.path.insert(0, str(ROOT))
    from onboarding.demo_secret import DEMO_TOTP_SECRET

    port = env["PORT"]
    base = env.get("MPP_BASE_DOMAIN", "mpp.localhost")
    password = env.get("MPP_DEMO_PASSWORD", "mpp-demo-2026")
    n = f"http://{base}:{port}"
    r = f"http://banyuwangi.{base}:{port}"
    print(
        f"""
================================================================================
 MPP Digital berjalan ({time.monotonic() - started:.1f} s sampai halaman pertama)

 Situs nasional        {n}/            cari layanan: {n}/layanan/?q=paspor
 Konsol onboarding     {n}/onboarding/  (superadmin)   Django admin: {n}/admin/
 MPP Banyuwangi        {r}/
   konsol admin        {r}/kelola/
   permohonan petugas  {r}/petugas/permohonan/
   pengaduan petugas   {r}/petugas/pengaduan/   warga: {r}/pengaduan/
   angka pengaduan     {r}/pengaduan/transparansi/
   antrean: kiosk {r}/antrean/kiosk/  loket {r}/antrean/loket/  layar {r}/antrean/layar/
 MPP Kota Probolinggo  http://kota-probolinggo.{base}:{port}/
 MPP Bukittinggi       http://bukittinggi.{base}:{port}/
 API docs              {n}/api/docs/

 Akun demo (kata sandi: {password})
   superadmin@mpp.go.id                 superadmin nasional          *
   admin.banyuwangi@mpp.go.id           admin DPMPTSP Banyuwangi     *
   petugas.banyuwangi@mpp.go.id         operator loket Banyuwangi
   pengaduan.banyuwangi@mpp.go.id       pengelola pengaduan Banyuwangi
   admin.kota-probolinggo@mpp.go.id     admin DPMPTSP Kota Probolinggo *
   admin.bukittinggi@mpp.go.id          admin DPMPTSP Bukittinggi    *
   warga@example.id                     warga (semua situs)

 * verifikasi dua langkah: tambahkan kunci {DEMO_TOTP_SECRET}
   ke aplikasi autentikator (Google Authenticator, Aegis, FreeOTP …), atau lihat kode
   saat ini dengan: .venv/bin/python -m scripts.dev totp

 Ctrl-C menghentikan semuanya.
================================================================================
""",
        flush=True,
    )


def _wait_for(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _stop_on_sigterm() -> None:
    # SIGTERM (timeout, kill, systemd) must stop the children too, like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def run() -> int:
    started = time.monotonic()
    _stop_on_sigterm()
    os.environ.setdefault("MPP_ENV", "dev")
    os.environ.setdefault("PORT", "8000")
    env = ensure_services()
    manage("setup_platform", env=env)
    port = env["PORT"]
    (DATA / "beat").mkdir(parents=True, exist_ok=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"0.0.0.0:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mpp_platform",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
            ],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mpp_platform",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(DATA / "beat" / "celerybeat-schedule"),
            ],
            cwd=ROOT,
            env=env,
        ),
    ]
    try:
        if _wait_for(f"http://127.0.0.1:{port}/healthz"):
            _banner(env, started)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("Salah satu proses berhenti; menghentikan semuanya.", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nMenghentikan MPP Digital…", flush=True)
        return 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def _ensure_browser() -> None:
    if Path(BROWSER).exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("• Memasang chromium untuk tes browser (apt-get)…", flush=True)
        quiet = {"DEBIAN_FRONTEND": "noninteractive", **os.environ}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=quiet)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            check=True,
            env=quiet,
        )
        return
    sys.exit(
        "Tes browser butuh Chromium dari Debian di /usr/bin/chromium.\n"
        "Pasang dengan: sudo apt-get install -y chromium   lalu jalankan lagi `make test`."
    )


def _ensure_pgbouncer() -> None:
    # The PgBouncer group (tests/scale/test_pgbouncer.py) runs part of the suite through it.
    if Path(PGBOUNCER).exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("• Memasang pgbouncer untuk tes pooler koneksi (apt-get)…", flush=True)
        quiet = {"DEBIAN_FRONTEND": "noninteractive", **os.environ}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=quiet)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "pgbouncer"],
            check=True,
            env=quiet,
        )
        return
    sys.exit(
        "Tes pooler koneksi butuh PgBouncer dari Debian di /usr/sbin/pgbouncer.\n"
        "Pasang dengan: sudo apt-get install -y pgbouncer   lalu jalankan lagi `make test`."
    )


def test(args: list[str]) -> int:
    os.environ["MPP_ENV"] = "test"
    _ensure_browser()
    _ensure_pgbouncer()
    # A Redis of its own: a `make run` worker must never consume the tests' messages.
    env = ensure_services(dbname="postgres", redis_file="redis-test.db")
    env["MPP_ENV"] = "test"
    env.setdefault("MPP_BROWSER", BROWSER)
    cmd = [sys.executable, "-m", "pytest", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def bench(name: str | None) -> int:
    os.environ.setdefault("MPP_ENV", "test")
    env = ensure_services(dbname="postgres")
    env["MPP_ENV"] = "test"
    names = (
        [name] if name else sorted(p.stem for p in (ROOT / "scripts" / "bench").glob("[a-z]*.py"))
    )
    status = 0
    for n in names:
        print(f"== bench {n}", flush=True)
        rc = subprocess.run(
            [sys.executable, "-m", f"scripts.bench.{n}", *sys.argv[3:]], cwd=ROOT, env=env
        ).returncode
        status = status or rc
    return status


def messages() -> int:
    env = {**os.environ, "MPP_ENV": "dev", "DATABASE_URL": "postgres://unused/unused"}
    if shutil.which("xgettext"):
        manage("makemessages", "-l", "en", "--ignore=.venv/*", env=env)
        manage("makemessages", "-d", "djangojs", "-l", "en", "--ignore=.venv/*", env=env)
    return subprocess.run([sys.executable, "-m", "scripts.compile_messages"], cwd=ROOT).returncode


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    if command == "run":
        return run()
    if command == "test":
        return test(sys.argv[2:])
    if command == "bench":
        return bench(sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None)
    if command == "messages":
        return messages()
    if command == "totp":
        from onboarding.demo_secret import DEMO_TOTP_SECRET, demo_totp_code

        print(f"{demo_totp_code()}  (kode saat ini untuk kunci demo {DEMO_TOTP_SECRET})")
        return 0
    sys.exit(f"unknown command {command!r}")


if __name__ == "__main__":
    sys.exit(main())
