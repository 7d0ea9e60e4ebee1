"""Real HTTP servers on loopback for the fetching tests: a git smart-HTTP server (dulwich's own WSGI app),
a redirector, a server that never answers, one that trickles, and one that leaks a secret."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from dulwich.repo import Repo
from dulwich.server import DictBackend
from dulwich.web import make_wsgi_chain

from tests.processes import silent_listener

# Linux routes all of 127.0.0.0/8 to the loopback interface: tests that need a host the fetcher may reach
# serve on this address and allow only it (STORY_FETCH_ALLOWED_NETWORKS), while 127.0.0.1 stays refused.
ALLOWED_HOST = "127.0.0.2"


@dataclass
class Server:
    url: str
    requests: list[str] = field(default_factory=list)


class _QuietWSGIHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):  # one thread per request, like ThreadingMixIn
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


@contextmanager
def _serving(server) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def git_http_server(repository: Path, host: str = ALLOWED_HOST) -> Iterator[Server]:
    """Serves ``repository`` over git's smart HTTP protocol at ``<url>/repo.git``."""
    repo = Repo(str(repository))
    app = make_wsgi_chain(DictBackend({"/repo.git": repo}))
    seen: list[str] = []

    def recording_app(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return app(environ, start_response)

    server = make_server(
        host, 0, recording_app, server_class=_ThreadingWSGIServer, handler_class=_QuietWSGIHandler
    )
    with _serving(server):
        yield Server(url=f"http://{host}:{server.server_port}/repo.git", requests=seen)
    repo.close()


def _handler(respond) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.server.seen.append(self.path)  # type: ignore[attr-defined]
            respond(self)

        do_POST = do_GET

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def http_server(respond, host: str = ALLOWED_HOST) -> Iterator[Server]:
    """A plain HTTP server whose every GET or POST is answered by ``respond(handler)``."""
    server = ThreadingHTTPServer((host, 0), _handler(respond))
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    with _serving(server):
        yield Server(url=f"http://{host}:{server.server_port}", requests=server.seen)  # type: ignore[attr-defined]


def redirect_to(location: str):
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return respond


def leaking_secret(secret: str):
    """Not a git server: answers every request with a body holding ``secret``."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        body = f"{secret}\ninternal service\n".encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def trickling(stop: threading.Event):
    """Answers forever: a header line every 0.2 s, so no single read times out and the response never
    ends; only an overall deadline stops a client."""

    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.flush_headers()
        while not stop.wait(0.2):
            try:
                handler.wfile.write(b"X-Still-Thinking: yes\r\n")
                handler.wfile.flush()
            except OSError:
                return

    return respond


@contextmanager
def silent_server(host: str = ALLOWED_HOST) -> Iterator[Server]:
    """Accepts connections and never says a word."""
    with silent_listener(host) as port:
        yield Server(url=f"http://{host}:{port}/repo.git")
