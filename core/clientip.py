"""The client's address, the one definition every per-IP limit uses (registration form, allauth, django-axes).

Behind a reverse proxy every request comes from the proxy's address, so per-IP limits would count all visitors as
one. The proxy names the client in X-Forwarded-For, but any client can send that header too. So the header is read
only when the peer (REMOTE_ADDR) is one of settings.TRUSTED_PROXIES, and then from the right: each proxy appends the
address it received the request from, so the first address from the right that is not a trusted proxy is the client.
Anything to its left was written by the client and is ignored. With no trusted proxy configured, REMOTE_ADDR is the
client, whatever the headers say.

The same rule guards SECURE_PROXY_SSL_HEADER: TrustedProxyMiddleware drops X-Forwarded-For/-Proto from any other
peer, so a client reaching gunicorn directly cannot claim it came over HTTPS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES entries ("172.31.253.254", "10.0.0.0/24", "::1") as networks; a typo fails loudly."""
    networks = []
    for entry in proxies:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network.") from exc
    return tuple(networks)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[2001:db8::1]:443"
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # "203.0.113.7:51234"
        address = address.partition(":")[0]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is that IPv4 client.
    return getattr(parsed, "ipv4_mapped", None) or parsed


def _trusted(address, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def is_trusted_proxy(address: str) -> bool:
    return _trusted(_parse(address or ""), trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits and lockouts (also AXES_CLIENT_IP_CALLABLE and allauth's adapter)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(remote)
    if not _trusted(peer, networks):
        return str(peer) if peer is not None else remote
    # Repeated X-Forwarded-For headers reach WSGI joined by commas, in order.
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            # Empty or garbage: no proxy of ours wrote it; keep the last address a trusted proxy vouched for.
            break
        if not _trusted(address, networks):
            return str(address)
        peer = address
    return str(peer)


class TrustedProxyMiddleware:
    """First middleware: forwarded headers count only when they come from a trusted proxy.

    X-Forwarded-Proto decides request.is_secure() (SECURE_PROXY_SSL_HEADER), so a client that reaches gunicorn
    around the proxy must not be able to send it; client_ip() already ignores X-Forwarded-For from such a client.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
