"""A stand-in OpenTelemetry Collector: takes OTLP/HTTP and throws it away.

    python collector.py --port 4318

Answers every POST (`/v1/traces`, `/v1/metrics`, `/v1/logs`) with 200 and an
empty body, which OTLP exporters read as "all accepted", and GET /healthz with
200, so that run.py can wait for it as for the apps. What a real collector
costs the service is the same serialization and POST; what it does after is
on its own machine.
"""

import argparse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Discard(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=4318)
    port = parser.parse_args().port
    ThreadingHTTPServer(("127.0.0.1", port), Discard).serve_forever()


if __name__ == "__main__":
    main()
