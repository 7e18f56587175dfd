"""The client's address, as one function: rate limits (allauth's and ours) and
the audit log all ask here.

Behind a reverse proxy every request comes from the proxy. The proxy appends
the address it saw to ``X-Forwarded-For``; anything to the left of that is what
the client claimed and cannot be believed. So the header is read right to left,
only while the hop that wrote it is one of ``TRUSTED_PROXIES`` (addresses or
networks), and the first address not trusted is the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))

    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    client = peer
    if trusted and is_trusted(peer):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break
            client = address
            if not is_trusted(address):
                break
    return str(client)
