"""Per-call client overhead, measured in one process with no network.

Every contender sends the same three calls through an in-process mock transport that answers
with a canned body, and really parses the answer (each call reads a field of the result):

- generate: POST /images/generations with a JSON body -> an ImagesResponse document;
- edit:     POST /images/edits, multipart with one file and a prompt -> an ImagesResponse;
- stream:   POST /images/generations with stream=true -> 20 server-sent events, all iterated.

Contenders: the floor (a bare httpx post + `json.loads` of the body; for the stream, the body's
bytes split at blank lines and `json.loads` of each `data:` line),
imagesdk, and the OpenAI SDK. The OpenAI SDK runs on httpx2 (its fork of httpx), so its floor is
the same bare post done with httpx2; each SDK's overhead is its time minus its own floor.

Prints one JSON document: {contender: {call: {"ns": [per-call ns of each batch], ...}}}.
Run by run.py as `python bench/percall.py --client-dir DIR`; run it alone to poke at it.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_URL = "http://bench.invalid/v1"
API_KEY = "sk-bench"
PROMPT = "A lighthouse at dawn, watercolour"
IMAGE = ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png")  # ~1 KiB file
B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
STREAM_EVENTS = 20

IMAGES_RESPONSE = json.dumps(
    {
        "created": 1_700_000_000,
        "background": "opaque",
        "output_format": "png",
        "quality": "high",
        "size": "1024x1024",
        "data": [{"b64_json": B64, "revised_prompt": PROMPT}],
        "usage": {
            "input_tokens": 50,
            "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
            "output_tokens": 4160,
            "total_tokens": 4210,
        },
    }
).encode()

_EVENT_COMMON = {
    "b64_json": B64,
    "created_at": 1_700_000_000,
    "size": "1024x1024",
    "quality": "high",
    "background": "opaque",
    "output_format": "png",
}


def _sse_chunks() -> list[bytes]:
    """19 partial images then the completed image, one chunk an event."""
    chunks = []
    for index in range(STREAM_EVENTS - 1):
        data = {
            "type": "image_generation.partial_image",
            **_EVENT_COMMON,
            "partial_image_index": index,
        }
        chunks.append(
            b"event: image_generation.partial_image\ndata: " + json.dumps(data).encode() + b"\n\n"
        )
    done = {
        "type": "image_generation.completed",
        **_EVENT_COMMON,
        "usage": {
            "input_tokens": 50,
            "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
            "output_tokens": 4160,
            "total_tokens": 4210,
        },
    }
    chunks.append(
        b"event: image_generation.completed\ndata: " + json.dumps(done).encode() + b"\n\n"
    )
    return chunks


SSE_CHUNKS = _sse_chunks()
JSON_HEADERS = {"content-type": "application/json"}
SSE_HEADERS = {"content-type": "text/event-stream"}


def _transports(http: Any) -> dict[str, Any]:
    """Mock transports of library `http` (httpx or httpx2), one per kind of answer."""

    def json_answer(request: Any) -> Any:
        return http.Response(200, headers=JSON_HEADERS, content=IMAGES_RESPONSE)

    def sse_answer(request: Any) -> Any:
        # An iterator, so that the body arrives event by event as it would from a server.
        return http.Response(200, headers=SSE_HEADERS, content=iter(SSE_CHUNKS))

    return {"json": http.MockTransport(json_answer), "sse": http.MockTransport(sse_answer)}


Calls = dict[str, Callable[[], None]]


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise AssertionError(what)


def floor_calls(http: Any) -> Calls:
    """The least any client does: send the request, decode the JSON it gets back."""
    transports = _transports(http)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    json_client = http.Client(transport=transports["json"], headers=headers)
    sse_client = http.Client(transport=transports["sse"], headers=headers)
    loads = json.loads
    generations, edits = f"{BASE_URL}/images/generations", f"{BASE_URL}/images/edits"

    def generate() -> None:
        body = loads(json_client.post(generations, json={"prompt": PROMPT}).content)
        _check(body["data"][0]["b64_json"] == B64, "generate")

    def edit() -> None:
        answer = json_client.post(edits, data={"prompt": PROMPT}, files={"image": IMAGE})
        _check(loads(answer.content)["data"][0]["b64_json"] == B64, "edit")

    def stream() -> None:
        count, pending = 0, b""
        with sse_client.stream(
            "POST", generations, json={"prompt": PROMPT, "stream": True}
        ) as answer:
            for chunk in answer.iter_bytes():
                *events, pending = (pending + chunk).split(b"\n\n")
                for event in events:
                    for line in event.split(b"\n"):
                        if line.startswith(b"data: "):
                            count += loads(line[6:])["b64_json"] == B64
        _check(count == STREAM_EVENTS, "stream")

    return {"generate": generate, "edit": edit, "stream": stream}


def _sdk_calls(images_json: Any, images_sse: Any, completed_type: str) -> Calls:
    def generate() -> None:
        result = images_json.generate(prompt=PROMPT)
        _check(result.data[0].b64_json == B64 and result.usage.total_tokens == 4210, "generate")

    def edit() -> None:
        result = images_json.edit(image=IMAGE, prompt=PROMPT)
        _check(result.data[0].b64_json == B64, "edit")

    def stream() -> None:
        count, last = 0, None
        for event in images_sse.generate(prompt=PROMPT, stream=True):
            count += event.b64_json == B64
            last = event.type
        _check(count == STREAM_EVENTS and last == completed_type, "stream")

    return {"generate": generate, "edit": edit, "stream": stream}


def imagesdk_calls(client_dir: Path) -> Calls:
    import httpx

    sys.path.insert(0, str(client_dir))
    from imagesdk import ImageClient  # type: ignore[import-not-found]

    transports = _transports(httpx)
    clients = {
        kind: ImageClient(
            api_key=API_KEY, base_url=BASE_URL, http_client=httpx.Client(transport=transport)
        )
        for kind, transport in transports.items()
    }
    return _sdk_calls(clients["json"].images, clients["sse"].images, "image_generation.completed")


def openai_calls() -> Calls:
    import httpx2
    from openai import OpenAI

    transports = _transports(httpx2)
    clients = {
        kind: OpenAI(
            api_key=API_KEY, base_url=BASE_URL, http_client=httpx2.Client(transport=transport)
        )
        for kind, transport in transports.items()
    }
    return _sdk_calls(clients["json"].images, clients["sse"].images, "image_generation.completed")


def _repeat(call: Callable[[], None], times: int) -> None:
    for _ in range(times):
        call()


def _batch(call: Callable[[], None], iterations: int) -> float:
    """Nanoseconds per call over one batch."""
    clock = time.perf_counter_ns
    start = clock()
    for _ in range(iterations):
        call()
    return (clock() - start) / iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--client-dir",
        type=Path,
        required=True,
        help="folder holding the generated imagesdk package",
    )
    parser.add_argument("--iterations", type=int, default=2000, help="calls per batch")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--profile",
        metavar="CONTENDER",
        help="instead of timing, print a cProfile of CONTENDER's calls",
    )
    args = parser.parse_args()

    contenders: dict[str, Calls] = {}
    errors: dict[str, str] = {}
    makers: dict[str, Callable[[], Calls]] = {
        "floor_httpx": lambda: floor_calls(importlib.import_module("httpx")),
        "imagesdk": lambda: imagesdk_calls(args.client_dir),
        "floor_httpx2": lambda: floor_calls(importlib.import_module("httpx2")),
        "openai": openai_calls,
    }
    for name, make in makers.items():
        try:
            calls = make()
            for call in calls.values():  # warm-up, and proof that the call works
                for _ in range(args.warmup):
                    call()
            contenders[name] = calls
        except Exception as error:  # reported per contender; the others still run
            errors[name] = "".join(traceback.format_exception_only(type(error), error)).strip()
            last = traceback.extract_tb(error.__traceback__)[-1:]
            if last:
                errors[name] += f" (at {Path(last[0].filename).name}:{last[0].lineno})"

    if args.profile:
        import cProfile
        import pstats

        calls = contenders[args.profile]
        for call_name, call in calls.items():
            profile = cProfile.Profile()
            profile.runcall(_repeat, call, args.iterations)
            print(f"== {args.profile} {call_name}: {args.iterations} calls")
            pstats.Stats(profile).sort_stats("tottime").print_stats(15)
        return

    results: dict[str, Any] = {name: {"error": text} for name, text in errors.items()}
    names = list(contenders)
    for name in names:
        results[name] = {call: {"ns": []} for call in contenders[name]}
    for call_name in ("generate", "edit", "stream"):
        # Interleaved, rotating who goes first, so that noise falls on every contender alike.
        for batch in range(args.batches):
            order = names[batch % len(names) :] + names[: batch % len(names)] if names else []
            for name in order:
                gc.collect()
                ns = _batch(contenders[name][call_name], args.iterations)
                results[name][call_name]["ns"].append(ns)
    json.dump(
        {
            "iterations": args.iterations,
            "batches": args.batches,
            "warmup": args.warmup,
            "events": STREAM_EVENTS,
            "results": results,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
