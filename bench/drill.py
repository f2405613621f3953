#!/usr/bin/env python3
"""Kopa's reliability drills, against a release build over HTTP (Python's standard library only).

  drill.py crash KOPA DATABASE KILLS   acknowledged writes while the server is killed with SIGKILL
  drill.py abuse KOPA DATABASE         peak memory under wrong passwords and an oversized image
  drill.py passwords KOPA DATABASE     the wrong passwords alone

DATABASE is a SQLite file or a postgres:// URL that `kopa demo` loaded. Each drill prints its
figures and exits 1 when a goal is missed.
"""

import http.client
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import zlib

PASSWORD = "kopa-demo-parole"
COORDINATOR = "koordinators@kekava.example"
RESIDENT = "iedzivotajs@kekava.example"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`kopa serve` on a database, started and killed at will."""

    def __init__(self, kopa, database, extra=()):
        self.kopa, self.database, self.extra = kopa, database, list(extra)
        self.port = free_port()
        self.process = None
        self.log = open(os.environ.get("DRILL_LOG", os.devnull), "ab")

    def start(self):
        args = [self.kopa, "--database", self.database, "serve", "--listen", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(args + self.extra, stdout=self.log, stderr=self.log)
        for _ in range(600):
            try:
                Client(self.port).request("GET", "/health")
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the server did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def peak_rss_mb(self):
        """The most memory the server held at once (VmHWM), in MB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


class Client:
    """One browser: its cookies, and the CSRF token its forms carry."""

    def __init__(self, port, forwarded_for=None):
        self.port, self.forwarded_for = port, forwarded_for
        self.cookies = {}
        self.location = None

    def request(self, method, path, body=None, content_type=None, timeout=30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
        finally:
            connection.close()
        self.location = response.getheader("Location")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, text

    def csrf(self):
        _, page = self.request("GET", "/signin")
        return re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()

    def post_form(self, path, fields, timeout=30):
        fields = dict(fields, csrf=self.csrf())
        body = urllib.parse.urlencode(fields)
        return self.request("POST", path, body, "application/x-www-form-urlencoded", timeout)

    def sign_in(self, email, password=PASSWORD):
        status, text = self.post_form("/signin", {"email": email, "password": password, "next": "/"})
        return status


def count_ideas_titled(database, prefix):
    """The ideas whose title begins with `prefix`, read from the database itself."""
    sql = f"SELECT title FROM ideas WHERE title LIKE '{prefix}%'"
    if database.startswith("postgres"):
        out = subprocess.run(["psql", database, "-tAc", sql], capture_output=True, text=True, check=True).stdout
    else:
        import sqlite3

        with sqlite3.connect(database) as connection:
            return {row[0] for row in connection.execute(sql)}
    return set(out.splitlines())


def crash(kopa, database, kills):
    """Writers propose ideas as the coordinator (no rate limit holds a moderator back) while
    the server is killed with SIGKILL at random moments and started again. Every idea whose
    proposal was answered 303 must be there at the end, and the audit chain intact."""
    server = Server(kopa, database)
    server.start()
    coordinator = Client(server.port)
    assert coordinator.sign_in(COORDINATOR) == 303, "the coordinator signs in"
    run = f"Drill {int(time.time())}"
    acknowledged, failed, lock = set(), [], threading.Lock()
    stop = threading.Event()

    def writer(n):
        client = Client(server.port)
        client.cookies = dict(coordinator.cookies)
        count = 0
        while not stop.is_set():
            title = f"{run} {n}-{count} (piemērs)"
            count += 1
            try:
                status, text = client.post_form("/w/kekava/ideas", {"title": title, "body": "Drill."}, timeout=10)
            except (OSError, http.client.HTTPException, AttributeError):
                time.sleep(0.02)  # the server is down: not acknowledged, try the next
                continue
            with lock:
                if status == 303:
                    acknowledged.add(title)
                elif status >= 500 or b"database is locked" in text:
                    failed.append((status, text[:200]))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(kills):
        time.sleep(random.uniform(0.1, 0.8))
        server.kill()
        server.start()
    stop.set()
    for thread in threads:
        thread.join()
    server.kill()

    found = count_ideas_titled(database, run)
    lost = acknowledged - found
    verify = subprocess.run([kopa, "--database", database, "audit", "verify"], capture_output=True, text=True)
    print(f"{kills} kills with SIGKILL, {len(acknowledged)} acknowledged writes, {len(lost)} lost, "
          f"{len(found) - len(acknowledged & found)} saved without an answer, {len(failed)} answered 5xx")
    print(verify.stdout.strip())
    return not lost and not failed and verify.returncode == 0


def png_of(width, height):
    """A PNG of `width` × `height` black pixels: a few hundred kilobytes that would unpack
    into width × height × 3 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * (width * 3)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def upload(client, path, name, data):
    boundary = "drill-boundary-7MA4YWxkTrZu0gW"
    csrf = client.csrf()
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="{name}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.request("POST", path, body, f"multipart/form-data; boundary={boundary}", timeout=60)


def wrong_passwords(kopa, database):
    ok = True
    # 64 clients, each from its own address as the proxy reports it, post wrong passwords for
    # 15 s: half against the coordinator's account, half against accounts that do not exist.
    server = Server(kopa, database, ["--client-address-header", "x-forwarded-for"])
    server.start()
    owner = Client(server.port, forwarded_for="192.0.2.1")
    assert owner.sign_in(COORDINATOR) == 303, "the owner signs in once before"
    owner.cookies.pop("kopa_session", None)  # signed out; the browser keeps its cookies
    stop = threading.Event()
    answers, lock = {}, threading.Lock()

    def guesser(n):
        client = Client(server.port)
        while not stop.is_set():
            client.forwarded_for = f"10.{n}.{random.randrange(256)}.{random.randrange(1, 255)}"
            email = COORDINATOR if n % 2 else f"nobody{random.randrange(10**9)}@example.lv"
            try:
                status, _ = client.post_form("/signin", {"email": email, "password": "wrong password"}, timeout=60)
            except (OSError, http.client.HTTPException):
                status = "error"
            with lock:
                answers[status] = answers.get(status, 0) + 1

    threads = [threading.Thread(target=guesser, args=(n,)) for n in range(64)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(5)
    tried, signed_in_after = time.monotonic(), None
    while time.monotonic() - tried < 60:
        if owner.sign_in(COORDINATOR) == 303:
            signed_in_after = time.monotonic() - tried
            break
        time.sleep(1)
    time.sleep(max(0, 15 - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join()
    peak = server.peak_rss_mb()
    server.kill()
    print(f"64 clients posting wrong passwords for 15 s: peak RSS {peak:.0f} MB (goal < 300), answers {answers}")
    if signed_in_after is None:
        print("the owner's right password did not work within a minute")
        ok = False
    else:
        print(f"the owner's right password, from the browser they used before, worked after {signed_in_after:.1f} s")
    return ok and peak < 300


def oversized_photo(kopa, database):
    # A resident uploads a 12,000 × 12,000 PNG, four times at once.
    server = Server(kopa, database)
    server.start()
    resident = Client(server.port)
    assert resident.sign_in(RESIDENT) == 303
    status, _ = resident.post_form("/w/kekava/ideas", {"title": "Drill photo (piemērs)", "body": "Drill."})
    assert status == 303, "the resident proposes an idea"
    idea = resident.location.split("#")[0]
    png = png_of(12_000, 12_000)
    before = server.peak_rss_mb()
    statuses = []

    def send():
        status, text = upload(resident, f"{idea}/photos", "big.png", png)
        statuses.append((status, "25 milj" in text.decode(errors="replace") or "25 million" in text.decode(errors="replace")))

    senders = [threading.Thread(target=send) for _ in range(4)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    peak = server.peak_rss_mb()
    server.kill()
    refused = all(status == 422 and named for status, named in statuses)
    print(f"4 uploads at once of a {len(png) // 1024} KB PNG of 12,000 x 12,000: {statuses}, "
          f"peak RSS {peak:.0f} MB (goal < 150; {before:.0f} MB before)")
    return refused and peak < 150


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["crash", kopa, database, kills]:
            sys.exit(0 if crash(kopa, database, int(kills)) else 1)
        case ["abuse", kopa, database]:
            passwords_ok = wrong_passwords(kopa, database)
            sys.exit(0 if oversized_photo(kopa, database) and passwords_ok else 1)
        case ["passwords", kopa, database]:
            sys.exit(0 if wrong_passwords(kopa, database) else 1)
        case _:
            sys.exit(__doc__)
