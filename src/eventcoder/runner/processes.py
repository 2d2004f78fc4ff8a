"""The whole coding path (parse, actors, events) in N local processes.

Each worker holds one coder: with the ``fork`` start method (Linux) it inherits the parent's
already loaded model and dictionaries (no reload, memory shared copy-on-write); with
``spawn`` it loads them once. Documents go out in small chunks through a bounded window, so
memory stays flat on any corpus, and results come back in input order, identical to a
single process. Workers ignore Ctrl-C; the parent stops them all at once and re-raises, so
the caller commits nothing half-done.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING

from ..config import Settings
from ..records import CodedDocument, Document, Rejected

if TYPE_CHECKING:
    from ..actors.knowledge import KnownActor
    from ..pipeline import Coder


class _Worker:
    """The coder of one worker process (set by the pool initializer, used by every task)."""

    coder: Coder | None = None


def _init(settings: Settings, extra: dict[str, KnownActor]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    from ..pipeline import default_coder

    _Worker.coder = default_coder(settings).with_knowledge(extra)


def _code_chunk(chunk: list[Document | Rejected]) -> list[CodedDocument | Rejected]:
    assert _Worker.coder is not None
    return list(_Worker.coder.code_documents(chunk, workers=1))


def _context() -> mp.context.BaseContext:
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def code_in_processes(settings: Settings, documents: Iterable[Document | Rejected], workers: int,
                      extra: dict[str, KnownActor] | None = None, chunk_size: int = 16,
                      window_per_worker: int = 2) -> Iterator[CodedDocument | Rejected]:
    """Code ``documents`` in ``workers`` processes; yields results in input order."""
    source = iter(documents)
    window = max(2, workers * window_per_worker)
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init,
                               initargs=(settings, extra or {}))
    pending: deque[Future[list[CodedDocument | Rejected]]] = deque()
    try:
        while True:
            while len(pending) < window:
                chunk = list(islice(source, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_code_chunk, chunk))
            if not pending:
                break
            yield from pending.popleft().result()
    except BaseException:
        stop(pool, pending)
        raise
    pool.shutdown(wait=True)


def stop(pool: ProcessPoolExecutor, pending: deque[Future[list[CodedDocument | Rejected]]]) -> None:
    """Stop every worker now: queued chunks are cancelled, running ones killed."""
    for f in pending:
        f.cancel()
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=5)
