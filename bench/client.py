"""A lean asyncio client for Koers' documented protocol: Engine.IO 4 / Socket.IO 5 over
a WebSocket, with just what the benchmark needs (connect with auth, pings, events, acks).
python-socketio's client is too heavy for thousands of connections in one process.
"""

import asyncio
import itertools
import json
import time

import websockets


class RefusedError(Exception):
    """The server refused the Socket.IO connection (connect_error)."""


class SioClient:
    def __init__(self, base_url, auth, cookie=None, on_event=None):
        self.url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.auth = auth
        self.cookie = cookie
        self.on_event = on_event
        self.frames = 0
        self._ids = itertools.count(1)
        self._acks = {}
        self._ws = None
        self._reader = None

    async def connect(self, timeout=60):
        headers = {"Cookie": self.cookie} if self.cookie else None
        self._ws = await websockets.connect(
            self.url, additional_headers=headers, compression=None, ping_interval=None,
            max_size=2**22, open_timeout=timeout, close_timeout=2)
        opened = await asyncio.wait_for(self._ws.recv(), timeout)
        if not opened.startswith("0"):
            raise RefusedError(f"unexpected open packet {opened[:40]!r}")
        await self._ws.send("40" + json.dumps(self.auth))
        while True:  # the snapshot may come before the connect confirmation
            message = await asyncio.wait_for(self._ws.recv(), timeout)
            self.frames += 1
            if message.startswith("40"):
                break
            if message.startswith("44"):
                raise RefusedError(message[2:])
            self._handle(message)
        self._reader = asyncio.create_task(self._read())

    async def _read(self):
        try:
            async for message in self._ws:
                self.frames += 1
                if message == "2":
                    await self._ws.send("3")
                else:
                    self._handle(message)
        except websockets.ConnectionClosed:
            pass

    def _handle(self, message):
        if message.startswith("43"):
            digits = "".join(itertools.takewhile(str.isdigit, message[2:]))
            future = self._acks.pop(int(digits), None)
            if future is not None and not future.done():
                future.set_result((time.perf_counter(), json.loads(message[2 + len(digits):])[0]))
        elif message.startswith("42") and self.on_event is not None:
            name_end = message.find('"', 4)
            self.on_event(message[4:name_end], message)

    async def emit(self, event, payload, timeout=30):
        """Send an event and wait for its ack: returns (ack time, ack payload)."""
        ack_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        await self._ws.send(f"42{ack_id}" + json.dumps([event, payload]))
        return await asyncio.wait_for(future, timeout)

    async def close(self):
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()


async def http_post_json(host, port, path, body, timeout=60):
    """A minimal HTTP/1.1 JSON POST (one request per connection): (status, json)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    data = json.dumps(body).encode()
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), timeout)
    writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        payload = _dechunk(payload)
    return status, json.loads(payload or b"null")


def _dechunk(payload):
    out = b""
    while payload:
        size_line, _, rest = payload.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out += rest[:size]
        payload = rest[size + 2:]
    return out
