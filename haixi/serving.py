"""Process-level serving fix: TCP_NODELAY on the server's sockets, once per process.

Streamlit 1.67 binds its listening socket itself (`socket.socket(family)`, protocol 0), and
asyncio only switches Nagle's algorithm off for sockets whose protocol is IPPROTO_TCP: every
websocket it accepts keeps Nagle on. A run's first message then holds the next small ones until
the browser's delayed ACK, about 40 ms into every rerun, in the one-line app too (measured with
bench/protocol.py: 45-55 ms reruns, 5-7 ms with the option set). Linux copies TCP_NODELAY from a
listening socket to the connections it accepts, so setting it once on the listening socket (and
on the connections already open) fixes every later session. Nothing of Streamlit is patched:
this only sets a socket option on this process's own TCP sockets, found in /proc/self/fd.
"""

from __future__ import annotations

import os
import socket
import threading

_done = False
_lock = threading.Lock()


def tcp_nodelay() -> int:
    """Set TCP_NODELAY on every TCP socket of this process (once); how many were set.

    Does nothing (0) where /proc/self/fd does not exist, and never raises.
    """
    global _done
    with _lock:
        if _done:
            return 0
        _done = True
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    count = 0
    for name in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if not target.startswith("socket:"):
            continue
        try:
            sock = socket.socket(fileno=os.dup(int(name)))
        except (OSError, ValueError):
            continue
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
        except OSError:
            pass
        finally:
            sock.close()  # closes the duplicate only; the server's own descriptor stays open
    return count
