"""Serve the app from N processes on one machine behind nginx, with sticky sessions (issue 21).

    python scripts/serve.py --processes 2 --port 8501          # needs Debian's nginx (apt-get install -y nginx)

A page view costs Python CPU under one interpreter lock, so one app process serves one core. Here N processes of
`streamlit run app.py` listen on 127.0.0.1 (ports after --port) and nginx listens on --port and --address. A browser
session must stay with one process (its websocket, its uploads and its downloads live there): nginx pins each browser
to a process by a cookie (`campaign_node`) that it sets on the first response, choosing the process for a new browser
at random. Everything else is shared through the database file: sign-in sessions, the scheduler's send log, every
figure; each process has its own import server. Streamlit's cookie secret is shared by all processes (kept in
`data/.cookie_secret`, 0600), so a browser moved to another process (after a restart) still uploads files.

The nginx configuration written here (in the run folder) is the one to adapt for a real server: see README.md.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NGINX = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size {upload_mb}m;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # A browser that has a process keeps it; a new one gets one at random.
    split_clients "${{remote_addr}}${{request_id}}" $campaign_new {{
{split}
    }}
    map $cookie_campaign_node $campaign_node {{
{known}
        default $campaign_new;
    }}
{upstreams}
    server {{
        listen {address}:{port};
        location / {{
            add_header Set-Cookie "campaign_node=$campaign_node; Path=/; HttpOnly; SameSite=Lax" always;
            proxy_pass http://campaign_$campaign_node;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1d;
            proxy_buffering off;
        }}
    }}
}}
"""


def nginx_config(folder: Path, address: str, port: int, app_ports: list[int], upload_mb: int = 25) -> str:
    """nginx.conf for the app processes on `app_ports`, pinned per browser by the campaign_node cookie."""
    n = len(app_ports)
    shares = [f"        {100 / n:.2f}% {i};" for i in range(n - 1)] + [f"        * {n - 1};"]
    return NGINX.format(
        folder=folder, address=address, port=port, upload_mb=upload_mb, split="\n".join(shares),
        known="\n".join(f'        "{i}" {i};' for i in range(n)),
        upstreams="\n".join(f"    upstream campaign_{i} {{ server 127.0.0.1:{p}; }}" for i, p in enumerate(app_ports)))


def cookie_secret() -> str:
    """One secret for every app process (Streamlit signs its XSRF cookie with it), kept 0600 beside the database."""
    from campaign.infra import db as database

    path = database.db_path().parent / ".cookie_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def start_app(port: int, log, env=None) -> subprocess.Popen:
    """One app process on 127.0.0.1:port."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--server.runOnSave", "false"],
        cwd=ROOT, env={**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret(), **(env or {})},
        stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy in {seconds:.0f} s")


class Cluster:
    """N app processes and nginx in front, in a run folder; stop() ends them all."""

    def __init__(self, processes: int, port: int, address: str = "127.0.0.1", folder: Path | None = None, env=None,
                 app_ports: list[int] | None = None):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise SystemExit("nginx is not installed: apt-get install -y nginx")
        self.folder = Path(folder or tempfile.mkdtemp(prefix="campaign-serve-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.app_ports = app_ports or [port + 1 + i for i in range(processes)]
        self.url = f"http://{address}:{port}"
        self.logs = [open(self.folder / f"app-{i}.log", "w") for i in range(processes)]
        self.apps = [start_app(p, log, env) for p, log in zip(self.app_ports, self.logs)]
        (self.folder / "nginx.conf").write_text(nginx_config(self.folder, address, port, self.app_ports))
        try:
            for p in self.app_ports:
                wait_healthy(f"http://127.0.0.1:{p}")
            self.nginx = subprocess.Popen([nginx, "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder),
                                           "-g", "daemon off;"], stderr=subprocess.STDOUT,
                                          stdout=open(self.folder / "nginx.log", "w"))
            wait_healthy(self.url, 30)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in [*self.apps, getattr(self, "nginx", None)]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.apps, getattr(self, "nginx", None)]:
            if process is not None:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        for log in self.logs:
            log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="0.0.0.0")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    cluster = Cluster(args.processes, args.port, args.address, folder=ROOT / "data" / "serve")
    print(f"{args.processes} app processes behind nginx on {cluster.url} (logs in {cluster.folder})", flush=True)
    stop = lambda *_: (cluster.stop(), sys.exit(0))  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while all(p.poll() is None for p in [*cluster.apps, cluster.nginx]):
        time.sleep(1)
    cluster.stop()
    sys.exit("a process ended: stopped all")


if __name__ == "__main__":
    main()
