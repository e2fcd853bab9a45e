#!/usr/bin/python3
# Copyright 2026 The Unbrick Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make bench: Unbrick's download against curl and aria2c, side by side in
# one run, from a loopback nginx serving a 2 GiB random file:
#  - unlimited: Unbrick with verification (hashed as it arrives, fsync'd,
#    renamed) against plain curl -o without any verification
#  - nginx limit_rate per connection (as a CDN limits each flow): Unbrick
#    with verification against curl and aria2c -x4 -s4 without it
#  - hashing a 2 GiB file in the page cache: Unbrick's hasher against
#    openssl dgst -sha256
#  - the longest gap of a 1 ms timeout on Unbrick's main context while it
#    downloads; beside it the same gap in a separate process doing nothing
#    else, which shows what the machine itself allows while it is that busy
#
# nginx's limit_rate paces each request, not each connection, and lets the
# first sendfile chunk of every request out at once; sendfile_max_chunk is
# kept small there so a client that makes many range requests (Unbrick asks
# for the file in chunks) gains nothing over one that makes four (aria2c),
# as with a CDN that limits each flow.
# Goals: unlimited <= 1.1x curl; limited >= 3.5x faster than curl and no
# slower than aria2c; hashing <= 1.1x openssl; main-loop gap <= 16 ms.
# Exits nonzero when a goal is missed.
#
# Usage: download.py BUILDDIR
# UB_BENCH_SIZE_MIB (2048), UB_BENCH_LIMIT (40m), UB_BENCH_ROUNDS (3),
# UB_BENCH_DIR (a temporary directory on the disk under test, default the
# system's temporary directory).
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SIZE_MIB = int(os.environ.get("UB_BENCH_SIZE_MIB", "2048"))
SIZE = SIZE_MIB * 1024 * 1024
LIMIT = os.environ.get("UB_BENCH_LIMIT", "40m")
ROUNDS = int(os.environ.get("UB_BENCH_ROUNDS", "3"))
TOOLS = ["nginx", "curl", "aria2c", "openssl", "sha256sum", "dd"]

NGINX_CONF = """
daemon off;
master_process on;
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{
    worker_connections 256;
}}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    keepalive_timeout 60s;
    client_body_temp_path {tmp}/client-body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {www};
        location /limited/ {{
            alias {www}/;
            limit_rate {limit};
            sendfile_max_chunk 256k;
        }}
    }}
}}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_timed(argv, **kwargs):
    start = time.monotonic()
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (argv[0], result.returncode,
                                                   result.stderr.strip()))
    return elapsed, result.stdout


def parse_keys(text):
    keys = {}
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        keys[key] = value
    return keys


PROBE = """
import sys, time
last = time.monotonic()
worst = 0.0
while True:
    time.sleep(0.001)
    now = time.monotonic()
    if now - last > worst:
        worst = now - last
        print("%.1f" % (worst * 1000), flush=True)
    last = now
"""


class Probe:
    """a 1 ms timer in a process of its own, for as long as it lives"""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-c", PROBE],
                                        stdout=subprocess.PIPE, text=True)
        time.sleep(0.2)

    def result(self):
        self.process.terminate()
        out, _ = self.process.communicate()
        lines = out.split()
        return float(lines[-1]) if lines else float("nan")


def remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def drop_written(path):
    """the next tool should not find the last one's file in the cache"""
    remove(path)
    remove(path + ".part")
    remove(path + ".part.state")
    remove(path + ".aria2")


class Bench:
    def __init__(self, builddir, tmp):
        self.fetch = os.path.join(builddir, "tests", "bench", "ub-fetch")
        self.tmp = tmp
        self.www = os.path.join(tmp, "www")
        self.source = os.path.join(self.www, "firmware.ipsw")
        self.dest = os.path.join(tmp, "out", "firmware.ipsw")
        self.port = free_port()
        self.sha256 = None
        self.nginx = None

    def make_source(self):
        os.makedirs(self.www)
        os.makedirs(os.path.dirname(self.dest))
        # nginx's workers may run as nobody
        os.chmod(self.tmp, 0o755)
        os.chmod(self.www, 0o755)
        subprocess.run(["dd", "if=/dev/urandom", "of=" + self.source, "bs=1M",
                        "count=%d" % SIZE_MIB, "iflag=fullblock", "status=none"],
                       check=True)
        os.chmod(self.source, 0o644)
        out = subprocess.run(["sha256sum", self.source], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        self.sha256 = out.split()[0]

    def start_nginx(self):
        conf = os.path.join(self.tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=self.tmp, www=self.www, port=self.port,
                                      limit=LIMIT))
        self.nginx = subprocess.Popen(["nginx", "-p", self.tmp, "-c", conf],
                                      stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start; see %s/nginx-error.log" % self.tmp)

    def stop_nginx(self):
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()

    def url(self, limited):
        return "http://127.0.0.1:%d/%sfirmware.ipsw" % (self.port,
                                                        "limited/" if limited else "")

    def check_dest(self, what):
        if os.path.getsize(self.dest) != SIZE:
            raise RuntimeError("%s wrote %d bytes, not %d" %
                               (what, os.path.getsize(self.dest), SIZE))

    def sha256sum_dest(self):
        elapsed, out = run_timed(["sha256sum", self.dest])
        if out.split()[0] != self.sha256:
            raise RuntimeError("the download does not match the source")
        return elapsed

    def ub_fetch(self, limited):
        """seconds, the longest main-loop gap, and that of another process"""
        drop_written(self.dest)
        probe = Probe()
        elapsed, out = run_timed([self.fetch, self.url(limited), self.dest, str(SIZE),
                                  self.sha256])
        probe_gap = probe.result()
        self.check_dest("ub-fetch")
        stall = float(parse_keys(out)["max-stall-ms"])
        drop_written(self.dest)
        return elapsed, stall, probe_gap

    def curl(self, limited):
        """seconds, with sha256sum after, and another process's longest gap"""
        drop_written(self.dest)
        probe = Probe()
        elapsed, _ = run_timed(["curl", "--silent", "--show-error", "--fail",
                                "-o", self.dest, self.url(limited)])
        probe_gap = probe.result()
        self.check_dest("curl")
        verify = self.sha256sum_dest()
        drop_written(self.dest)
        return elapsed, elapsed + verify, probe_gap

    def aria2c(self, limited):
        drop_written(self.dest)
        elapsed, _ = run_timed(["aria2c", "-x4", "-s4", "--quiet=true",
                                "--allow-overwrite=true", "--auto-file-renaming=false",
                                "--summary-interval=0", "--dir", os.path.dirname(self.dest),
                                "--out", os.path.basename(self.dest), self.url(limited)])
        self.check_dest("aria2c")
        verify = self.sha256sum_dest()
        drop_written(self.dest)
        return elapsed, elapsed + verify

    def hash_ub(self):
        elapsed, out = run_timed([self.fetch, "--hash-only", self.source])
        if parse_keys(out)["digest"] != self.sha256:
            raise RuntimeError("ub-fetch --hash-only gave the wrong digest")
        return elapsed

    def hash_openssl(self):
        elapsed, out = run_timed(["openssl", "dgst", "-sha256", self.source])
        if self.sha256 not in out:
            raise RuntimeError("openssl gave the wrong digest")
        return elapsed


def median_of(rounds, func, *args):
    results = [func(*args) for _ in range(rounds)]
    if isinstance(results[0], tuple):
        return tuple(statistics.median(r[i] for r in results)
                     for i in range(len(results[0]))), results
    return statistics.median(results), results


def main():
    if len(sys.argv) != 2:
        print("usage: download.py BUILDDIR", file=sys.stderr)
        return 2
    builddir = sys.argv[1]
    fetch = os.path.join(builddir, "tests", "bench", "ub-fetch")
    if not os.access(fetch, os.X_OK):
        print("%s is missing: meson compile -C %s ub-fetch" % (fetch, builddir),
              file=sys.stderr)
        return 2
    missing = [tool for tool in TOOLS if shutil.which(tool) is None and
               not os.path.exists("/usr/sbin/" + tool)]
    if missing:
        print("missing tools: %s (make deps)" % " ".join(missing), file=sys.stderr)
        return 2
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin"

    parent = os.environ.get("UB_BENCH_DIR", tempfile.gettempdir())
    # the source and one download at a time, with room to spare
    need = 2 * SIZE + 512 * 1024 * 1024
    free = shutil.disk_usage(parent).free
    if free < need:
        print("need %.1f GiB free in %s, have %.1f GiB (set UB_BENCH_DIR)" %
              (need / 2**30, parent, free / 2**30), file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="ub-bench-download-", dir=parent)
    bench = Bench(builddir, tmp)
    try:
        print("# %d MiB of random data in %s; nginx on 127.0.0.1:%d, limit_rate %s; "
              "%d cores" % (SIZE_MIB, tmp, bench.port, LIMIT, os.cpu_count()), flush=True)
        bench.make_source()
        bench.start_nginx()

        # unlimited: the median of a few rounds, interleaved
        ub_runs, curl_runs = [], []
        for _ in range(ROUNDS):
            ub_runs.append(bench.ub_fetch(False))
            curl_runs.append(bench.curl(False))
        ub_unlimited = statistics.median(r[0] for r in ub_runs)
        curl_unlimited = statistics.median(r[0] for r in curl_runs)
        curl_unlimited_verified = statistics.median(r[1] for r in curl_runs)
        gap_unlimited = max(r[1] for r in ub_runs)
        probe_unlimited = max(r[2] for r in ub_runs)
        probe_curl = max(r[2] for r in curl_runs)
        print("# unlimited: ub-fetch %s s (gap %s ms; other process %s ms); curl %s s "
              "(other process %s ms), then sha256sum %s s" % (
                  " ".join("%.2f" % r[0] for r in ub_runs),
                  " ".join("%.1f" % r[1] for r in ub_runs),
                  " ".join("%.1f" % r[2] for r in ub_runs),
                  " ".join("%.2f" % r[0] for r in curl_runs),
                  " ".join("%.1f" % r[2] for r in curl_runs),
                  " ".join("%.2f" % (r[1] - r[0]) for r in curl_runs)), flush=True)

        # limited: one round each, they take a while
        ub_limited, gap_limited, probe_limited = bench.ub_fetch(True)
        curl_limited, curl_limited_verified, _ = bench.curl(True)
        aria_limited, aria_limited_verified = bench.aria2c(True)
        print("# limited: ub-fetch %.2f s (gap %.1f ms; other process %.1f ms), curl %.2f s, "
              "aria2c %.2f s" % (ub_limited, gap_limited, probe_limited, curl_limited,
                                 aria_limited), flush=True)

        hash_ub, hash_ub_all = median_of(ROUNDS, bench.hash_ub)
        hash_ssl, hash_ssl_all = median_of(ROUNDS, bench.hash_openssl)
        print("# hash: ub-fetch %s s, openssl %s s" % (
            " ".join("%.2f" % t for t in hash_ub_all),
            " ".join("%.2f" % t for t in hash_ssl_all)), flush=True)
    finally:
        bench.stop_nginx()
        shutil.rmtree(tmp, ignore_errors=True)

    # (figure, Unbrick, reference name, reference, ratio, goal, met or None)
    rows = [
        ("unlimited, verified", "%.2f s" % ub_unlimited,
         "curl -o, unverified", "%.2f s" % curl_unlimited,
         ub_unlimited / curl_unlimited, "<= 1.10x", ub_unlimited / curl_unlimited <= 1.10),
        ("  (for reference)", "%.2f s" % ub_unlimited,
         "curl -o + sha256sum", "%.2f s" % curl_unlimited_verified,
         ub_unlimited / curl_unlimited_verified, "", None),
        ("limited, speed-up", "%.2f s" % ub_limited,
         "curl -o, unverified", "%.2f s" % curl_limited,
         curl_limited / ub_limited, ">= 3.50x", curl_limited / ub_limited >= 3.5),
        ("limited, verified", "%.2f s" % ub_limited,
         "aria2c -x4 -s4, unverified", "%.2f s" % aria_limited,
         ub_limited / aria_limited, "<= 1.00x", ub_limited / aria_limited <= 1.0),
        ("  (for reference)", "%.2f s" % ub_limited,
         "aria2c + sha256sum", "%.2f s" % aria_limited_verified,
         ub_limited / aria_limited_verified, "", None),
        ("  (for reference)", "%.2f s" % ub_limited,
         "curl -o + sha256sum", "%.2f s" % curl_limited_verified,
         ub_limited / curl_limited_verified, "", None),
        ("hash 2 GiB, cached" if SIZE_MIB == 2048 else "hash, cached", "%.2f s" % hash_ub,
         "openssl dgst -sha256", "%.2f s" % hash_ssl,
         hash_ub / hash_ssl, "<= 1.10x", hash_ub / hash_ssl <= 1.10),
        ("main-loop gap, unlim.", "%.1f ms" % gap_unlimited,
         "a frame", "16.0 ms",
         gap_unlimited / 16.0, "<= 1.00x", gap_unlimited <= 16.0),
        ("  (for reference)", "%.1f ms" % probe_unlimited,
         "other process, same time", "16.0 ms", probe_unlimited / 16.0, "", None),
        ("  (for reference)", "%.1f ms" % probe_curl,
         "other process, during curl", "16.0 ms", probe_curl / 16.0, "", None),
        ("main-loop gap, limited", "%.1f ms" % gap_limited,
         "a frame", "16.0 ms",
         gap_limited / 16.0, "<= 1.00x", gap_limited <= 16.0),
        ("  (for reference)", "%.1f ms" % probe_limited,
         "other process, same time", "16.0 ms", probe_limited / 16.0, "", None),
    ]
    print()
    print("%-23s %10s   %-28s %10s %8s %9s  %s" % ("figure", "Unbrick", "reference", "",
                                                   "ratio", "goal", "result"))
    missed = 0
    for name, value, ref_name, ref_value, ratio, goal, met in rows:
        result = "" if met is None else ("ok" if met else "MISSED")
        if met is False:
            missed += 1
        print("%-23s %10s   %-28s %10s %7.2fx %9s  %s" % (name, value, ref_name, ref_value,
                                                       ratio, goal, result))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
