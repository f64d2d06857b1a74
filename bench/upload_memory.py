"""How much peak memory an upload adds to the client: `images.edit(image=Path(...))` of a big
sparse file, sent to a server on 127.0.0.1 (another process) that reads the body and drops it.

One upload per process, after a small warm-up upload (imports, the connection, parsing the
answer): the growth is the peak resident size during the upload minus the resident size just
before it. The peak is set back to the current size just before (`/proc/self/clear_refs`), so
that an earlier peak cannot hide the upload's; where that cannot be done, the growth is the
peak after minus the peak before (`ru_maxrss`), which may read low. A sparse file costs no disk, and the
client reads it as it would any file. `--content bytes` reads the file into memory first and
uploads the bytes: the reference that shows the figure moves when a body is held whole.

Prints one JSON document. Run by run.py (`--sections upload`); alone:

    .venv/bin/python bench/upload_memory.py --client async --size-mb 1024
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ANSWER = json.dumps({"created": 1700000000, "data": [{"b64_json": "aGVsbG8="}]}).encode()
READ_SIZE = 1024 * 1024
MB = 1024 * 1024


class Discard(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self._drop_chunked()
        else:
            self._drop(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def _drop(self, remaining: int) -> None:
        while remaining > 0:
            data = self.rfile.read(min(READ_SIZE, remaining))
            if not data:
                return
            remaining -= len(data)

    def _drop_chunked(self) -> None:
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            self._drop(size + 2)  # the chunk and its CRLF
            if size == 0:
                return


def serve() -> None:
    """The server process: prints its port, then serves until its stdin closes."""
    import threading

    server = ThreadingHTTPServer(("127.0.0.1", 0), Discard)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


def _status_mb(field: str) -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) / 1024 if match else None


def _reset_peak() -> bool:
    """Set the peak resident size back to the current one (Linux 4.0+), so that the peak
    after is the upload's own and not that of some earlier moment (imports, say)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def upload(client_kind: str, content_kind: str, size_mb: int, folder: Path) -> dict[str, Any]:
    from imagesdk import AsyncImageClient, ImageClient

    big = folder / "big.png"
    with open(big, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.truncate(size_mb * MB)
    small = folder / "small.png"
    small.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1024))
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}/v1"
        settings: dict[str, Any] = {"api_key": "sk-bench", "base_url": base_url, "max_retries": 0}
        settings["timeout"] = 600.0
        if client_kind == "sync":
            with ImageClient(**settings) as client:
                client.images.edit(image=small, prompt="warm-up")
                before, started = _start()
                image: object = big.read_bytes() if content_kind == "bytes" else big
                client.images.edit(image=image, prompt="upload")
                seconds = time.perf_counter() - started
        else:
            import anyio

            async def run() -> tuple[float, float]:
                async with AsyncImageClient(**settings) as client:
                    await client.images.edit(image=small, prompt="warm-up")
                    before, started = _start()
                    image: object = big.read_bytes() if content_kind == "bytes" else big
                    await client.images.edit(image=image, prompt="upload")
                    return before, time.perf_counter() - started

            before, seconds = anyio.run(run)
        after = peak_mb()
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
    return {
        "client": client_kind,
        "content": content_kind,
        "size_mb": size_mb,
        "resident_before_mb": round(before, 1),
        "peak_during_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
        "seconds": round(seconds, 2),
    }


def _start() -> tuple[float, float]:
    gc.collect()
    if _reset_peak():
        return _status_mb("VmRSS") or peak_mb(), time.perf_counter()
    return peak_mb(), time.perf_counter()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--client", choices=["sync", "async"], default="sync")
    parser.add_argument("--content", choices=["path", "bytes"], default="path")
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--client-dir", type=Path, help="where imagesdk is (default: installed)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    if args.client_dir is not None:
        sys.path.insert(0, str(args.client_dir))
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as folder:
        result = upload(args.client, args.content, args.size_mb, Path(folder))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
