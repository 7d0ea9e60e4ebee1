"""Fetching a remote git repository without letting a user aim the server at itself or its network.

Only ``http`` and ``https`` URLs without credentials are fetched, and only from public addresses: every
connection (the first one and each one a redirect opens) resolves the host, refuses it when any address is
loopback, private, link-local, carrier-grade NAT, multicast, reserved or unspecified (IPv4-mapped, 6to4 and
NAT64 IPv6 forms are judged by the IPv4 address inside them), and then connects to the address it checked,
so a DNS answer cannot change between the check and the connection.

The clone runs in a child process (``python -m stories.fetching``) with connect and read timeouts; the
parent kills it at an overall deadline or as soon as what it wrote passes the size cap. A failure is one of
a few fixed outcomes, so nothing the remote said (a response body, which port answered) reaches the user.

This module imports nothing from Django: the child runs it on its own.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

FETCHABLE_SCHEMES = ("https", "http")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
CHILD_MEMORY_BYTES = 4 * 1024**3
POLL_SECONDS = 0.1

# Exit codes of the child, and what the user is told for each. Messages are fixed on purpose.
EXIT_OK = 0
EXIT_REFUSED = 10
EXIT_TIMEOUT = 11
EXIT_UNREACHABLE = 12
OUTCOME_MESSAGES = {
    EXIT_REFUSED: "The repository's host is not a public address; only public hosts are fetched.",
    EXIT_TIMEOUT: "The repository host did not answer in time.",
    EXIT_UNREACHABLE: "The repository could not be fetched; check that the URL is a public git repository.",
}


class FetchError(Exception):
    """The fetch failed; the message is fixed text, safe to show to the user."""


# --- deciding which addresses may be reached -----------------------------------------------------------------

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(cidrs: list[str]) -> list[Network]:
    return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]


def address_is_allowed(address: Address, allowed_networks: list[Network] = ()) -> bool:  # type: ignore[assignment]
    """A public unicast address, or one inside a network the operator allowed explicitly."""
    if any(address.version == network.version and address in network for network in allowed_networks):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_is_allowed(embedded, allowed_networks)
        if address.teredo:  # a tunnel whose far end cannot be judged from here
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    )


def literal_address(host: str) -> Address | None:
    """The address a host names by itself, in any form the C resolver accepts (``2130706433``, ``0x7f.1``,
    ``127.1``, ``[::ffff:127.0.0.1]``), or None for a name that needs DNS."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # the numeric tricks inet_aton accepts
    except (OSError, ValueError):
        return None


def url_problem(url: str, allowed_networks: list[Network] = ()) -> str | None:  # type: ignore[assignment]
    """Why ``url`` may not be fetched, judged without DNS (names are checked again at each connection)."""
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # both parse lazily and raise on a malformed netloc
    except ValueError as exc:
        return f"The repository URL is malformed: {exc}."
    if parts.scheme.lower() not in FETCHABLE_SCHEMES:
        return "Use an https:// (or http://) URL of a public git repository."
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "Remove the user name and password from the URL: only public repositories can be fetched."
    if not host:
        return "The repository URL names no host."
    host = host.rstrip(".").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return "The repository's host is not a public address."
    address = literal_address(host)
    if address is not None and not address_is_allowed(address, allowed_networks):
        return "The repository's host is not a public address."
    return None


# --- the child: a clone whose every connection is checked ------------------------------------------------


class AddressRefused(Exception):
    """Not an OSError on purpose: urllib3 retries those, but a refused address is final."""


def _public_connection_classes(allowed_networks: list[Network]):
    import urllib3
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    from urllib3.util.connection import create_connection

    def connect(conn) -> socket.socket:
        try:
            infos = socket.getaddrinfo(conn._dns_host, conn.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NewConnectionError(conn, "name resolution failed") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses or not all(address_is_allowed(a, allowed_networks) for a in addresses):
            raise AddressRefused("the host resolves to an address that is not public")
        last_error: Exception | None = None
        for info in infos:
            try:
                # The address just checked, never the name again: DNS cannot answer differently now.
                return create_connection(
                    (str(info[4][0]), conn.port),
                    conn.timeout,
                    source_address=conn.source_address,
                    socket_options=conn.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(conn, "connect timed out") from exc
            except OSError as exc:
                last_error = exc
        raise NewConnectionError(conn, "could not connect") from last_error

    class PublicHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return connect(self)

    class PublicHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return connect(self)

    class PublicHTTPPool(urllib3.HTTPConnectionPool):
        ConnectionCls = PublicHTTPConnection

    class PublicHTTPSPool(urllib3.HTTPSConnectionPool):
        ConnectionCls = PublicHTTPSConnection

    return PublicHTTPPool, PublicHTTPSPool


def public_pool_manager(*, connect_timeout: float, read_timeout: float, allowed_networks: list[Network]):
    """A urllib3 pool manager that connects only to allowed addresses, for dulwich's HTTP client. No proxy
    is used (a proxy would make the connection on our behalf, unchecked)."""
    import urllib3

    http_pool, https_pool = _public_connection_classes(allowed_networks)
    manager = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
        retries=urllib3.Retry(total=3, connect=1, read=0, redirect=3, status=0, raise_on_redirect=True),
        cert_reqs="CERT_REQUIRED",
        headers={"User-Agent": "Folio repository fetcher"},
    )
    manager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}
    return manager


TIMEOUT_ERRORS = {"ConnectTimeoutError", "ReadTimeoutError", "TimeoutError", "timeout"}


def _outcome_of(exc: BaseException) -> int:
    """Which fixed outcome an exception means, searched through its causes (urllib3's ``reason`` too)."""
    pending: list[BaseException] = [exc]
    seen: set[int] = set()
    timed_out = False
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, AddressRefused):
            return EXIT_REFUSED
        timed_out = timed_out or type(current).__name__ in TIMEOUT_ERRORS
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                pending.append(linked)
    return EXIT_TIMEOUT if timed_out else EXIT_UNREACHABLE


def clone(url: str, target: str, *, connect_timeout: float, read_timeout: float, allowed: list[str]) -> int:
    import io

    from dulwich import porcelain

    if url_problem(url, parse_networks(allowed)):
        return EXIT_REFUSED
    manager = public_pool_manager(
        connect_timeout=connect_timeout, read_timeout=read_timeout, allowed_networks=parse_networks(allowed)
    )
    try:
        repo = porcelain.clone(
            url, target, bare=True, checkout=False, errstream=io.BytesIO(), pool_manager=manager
        )
    except Exception as exc:  # dulwich raises many network and protocol errors; their text stays here
        return _outcome_of(exc)
    repo.close()
    return EXIT_OK


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("target")
    parser.add_argument("--connect-timeout", type=float, required=True)
    parser.add_argument("--read-timeout", type=float, required=True)
    parser.add_argument(
        "--allow", action="append", default=[], help="a CIDR network allowed besides public ones"
    )
    args = parser.parse_args(argv)
    return clone(
        args.url,
        args.target,
        connect_timeout=args.connect_timeout,
        read_timeout=args.read_timeout,
        allowed=args.allow,
    )


# --- the parent: a child process, a deadline and a size cap -------------------------------------------------


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int
    allowed_networks: tuple[str, ...] = ()


def _size_of(folder: Path) -> int:
    total = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue  # a temporary pack file renamed under us
    return total


def _too_large(max_bytes: int) -> str:
    size = f"{max_bytes / 1024**2:g} MB" if max_bytes >= 1024**2 else f"{max_bytes:,} bytes"
    return f"The repository is larger than the limit of {size}."


def fetch(url: str, target: Path, limits: FetchLimits) -> None:
    """Clone ``url`` bare into ``target`` within ``limits``, or raise FetchError with a fixed message."""
    command = [
        sys.executable,
        "-m",
        "stories.fetching",
        url,
        str(target),
        f"--connect-timeout={limits.connect_timeout}",
        f"--read-timeout={limits.read_timeout}",
        *(f"--allow={cidr}" for cidr in limits.allowed_networks),
    ]
    environment = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    environment["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,  # its own process group, killed as one
        preexec_fn=_limit_memory,  # noqa: PLW1509 - no threads are started between fork and exec here
    )
    started = time.monotonic()
    try:
        while True:
            try:
                code = child.wait(timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() - started > limits.deadline:
                raise FetchError(f"Fetching the repository took longer than {limits.deadline:g} seconds.")
            if _size_of(target) > limits.max_bytes:
                raise FetchError(_too_large(limits.max_bytes))
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    if _size_of(target) > limits.max_bytes:
        raise FetchError(_too_large(limits.max_bytes))
    if code != EXIT_OK:
        raise FetchError(OUTCOME_MESSAGES.get(code, OUTCOME_MESSAGES[EXIT_UNREACHABLE]))


if __name__ == "__main__":
    sys.exit(main())
