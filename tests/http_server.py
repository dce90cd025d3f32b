#!/usr/bin/python3
"""A misbehaving HTTP server for tests/test_http.c, on 127.0.0.1 only.

Prints the port the OS chose on its first line, then serves until killed.
With --tls it speaks HTTPS with tests/data/tls/cert.pem, a self-signed
certificate for 127.0.0.1 and localhost made for these tests only.
Behaviour is chosen by path; counters are kept per full path (query
included), so a test can get a fresh sequence with ?n=<something>:

  /ok.csv        200 text/csv
  /flaky503      503 twice, then 200
  /always503     503 every time
  /ratelimit     429 with Retry-After: 1 once, then 200
  /auth          401 unless "Authorization: Bearer s3cret-t0ken"
  /slow          waits 3 s before answering
  /truncated     Content-Length 5000, sends 1234 bytes and closes
  /badjson...    200 application/json that is not JSON (any path below too)
  /wrongtype     200 text/html
  /huge          2 MiB of JSON (?nolength: without Content-Length)
  /bomb          Content-Encoding: gzip, 64 KiB that inflate to 64 MiB of zeros
  /drip          200 text/csv, then one byte every 0.1 s for 8 s: never silent,
                 never done in time
  /notfound      404
  /redirect?to=P 302 to P;  /loop  302 to itself
  /kolada/v3/data/kpi/...  tests/data/kolada/page1.json, next_url -> page2
  /kolada/v3/page2         tests/data/kolada/page2.json
"""
import gzip
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

OK_BODY = "enhet_id;namn\r\nVC01;Vårdcentralen Centrum\r\n".encode()
TOKEN = "s3cret-t0ken"
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "kolada")

counts = {}
lock = threading.Lock()
BOMB = gzip.compress(b"\0" * (64 << 20), 9)


def hit(key):
    """How many times key was asked for before this request."""
    with lock:
        n = counts.get(key, 0)
        counts[key] = n + 1
        return n


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so a body without
    # Content-Length ends when the connection closes.
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    def send(self, status, body=b"", ctype="text/plain", headers=(), length=True):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def ok(self):
        self.send(200, OK_BODY, "text/csv; charset=utf-8")

    def kolada(self, name):
        with open(os.path.join(DATA, name), encoding="utf-8") as f:
            text = f.read()
        base = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.send(200, text.replace("{base}", base).encode(), "application/json; charset=utf-8")

    def do_GET(self):
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        try:
            self.route(path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeouts, size caps): expected

    def route(self, path, query):
        if path == "/ok.csv":
            self.ok()
        elif path == "/flaky503":
            if hit(self.path) < 2:
                self.send(503, b"busy")
            else:
                self.ok()
        elif path == "/always503":
            self.send(503, b"busy")
        elif path == "/ratelimit":
            if hit(self.path) < 1:
                self.send(429, b"slow down", headers=[("Retry-After", "1")])
            else:
                self.ok()
        elif path == "/auth":
            if self.headers.get("Authorization") == "Bearer " + TOKEN:
                self.ok()
            else:
                self.send(401, b"no", headers=[("WWW-Authenticate", "Bearer")])
        elif path == "/slow":
            time.sleep(3)
            self.ok()
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b"x" * 1234)
        elif path.startswith("/badjson"):
            self.send(200, b'{"count": 1, "values": [}', "application/json")
        elif path == "/wrongtype":
            self.send(200, b"<html><body>Logga in</body></html>", "text/html; charset=utf-8")
        elif path == "/huge":
            body = b'{"values": [], "pad": "' + b"x" * (2 << 20) + b'"}'
            self.send(200, body, "application/json", length="nolength" not in query)
        elif path == "/bomb":
            self.send(200, BOMB, "text/csv", headers=[("Content-Encoding", "gzip")])
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", "80")
            self.end_headers()
            for _ in range(80):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/redirect":
            self.send(302, headers=[("Location", query["to"][0])])
        elif path == "/loop":
            self.send(302, headers=[("Location", "/loop")])
        elif path.startswith("/kolada/v3/data/kpi/"):
            self.kolada("page1.json")
        elif path == "/kolada/v3/page2":
            self.kolada("page2.json")
        else:
            self.send(404, b"not found")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if "--tls" in sys.argv[1:]:
        tls = os.path.join(os.path.dirname(DATA), "tls")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(tls, "cert.pem"), os.path.join(tls, "key.pem"))
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
