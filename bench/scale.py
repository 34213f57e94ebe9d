"""Scale: the knowledge base at 10x and 100x the sample corpus, built from real documents, in stages.

.venv/bin/python bench/scale.py corpus  --factor 100           # write the copies (var/scale-corpus/)
.venv/bin/python bench/scale.py ingest  --factor 10            # ingest copy by copy into var/scale-10/
.venv/bin/python bench/scale.py reingest --factor 10           # unchanged re-ingest of all of it
.venv/bin/python bench/scale.py lexical --factor 10            # lexical index build and load times
.venv/bin/python bench/scale.py search  --factor 10            # BM25 search alone, beside bm25s's precomputed matrix
.venv/bin/python bench/scale.py query   --factor 10            # retrieval / answer latency p50, p95 (warm)
.venv/bin/python bench/scale.py quality --factor 10            # hit@1/@5 of the suites' questions
.venv/bin/python bench/scale.py serve   --factor 10            # peak RSS of `assistant serve` while answering
.venv/bin/python bench/scale.py report                         # the table from out/scale/*.json

The collection is copy 0 (data/corpus and data/corpus_more as they are) plus copies 1..n-1 of
the same documents with distinguishing edits: every place name is swapped for another place of
the same level (from assistant/data/places.tsv) and every number that is not a year is shifted
by the copy's number, so no two chunks are equal and the questions' evidence (which quotes
numbers) is found only in copy 0. `--factor F` means F times the sample corpus's 2,559 chunks.
Each stage resumes where it stopped (ingest is incremental), so the 100x build can run in pieces;
results go to out/scale/<factor>-<stage>.json with the machine's load average next to each figure
(and, for ingest, the process's CPU seconds: with the hash embedder all the work is in this process, so
CPU seconds per 1,000 chunks say whether ingest stays linear when other jobs make the wall time swing).
`--chroma-port P` runs a stage as a replica against `chroma run --path <data-dir>/chroma --port P`
(with `--data-dir` a replica's own directory: copy index/ into it to start with the view cached).
`--backend hash512` (the test embedder, hashed characters, at the bundled model's 512 dimensions, so
the vector index is as large) takes the embedding model's cost out of a figure that does not depend
on its quality: latency, memory, re-ingest; say so when reporting.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE_CHUNKS = 2559
BASES = [ROOT / "data" / "corpus", ROOT / "data" / "corpus_more"]
COPIES = ROOT / "var" / "scale-corpus"
OUT = ROOT / "out" / "scale"
SUITES = [ROOT / "eval" / "suites" / "dev.jsonl", ROOT / "eval" / "suites" / "heldout.jsonl"]
_NUMBER = re.compile(r"(?<![\d.])(\d+)(\.\d+)?(?![\d.])")
_YEARISH = re.compile(r"^(19|20)\d\d$")


def load() -> dict[str, float]:
    one, five, _ = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "cores": os.cpu_count() or 0}


def save(name: str, result: dict[str, Any]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    result = {**result, "machine": platform.processor() or platform.machine(), "python": platform.python_version()}
    (OUT / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


# --- the corpus ---------------------------------------------------------------------------------------


def base_files() -> list[Path]:
    from ingest.load import iter_files

    files, _ = iter_files(BASES)
    return files


def base_texts() -> dict[str, str]:
    """Every base document as text (docx too, through the product's loader), by a relative name."""
    from ingest.load import load_file

    out = {}
    for path in base_files():
        rel = next(str(path.relative_to(b)) for b in BASES if b in path.parents)
        out[rel] = load_file(path, max_bytes=10**9).text
    return out


def _shift_numbers(text: str, k: int) -> str:
    def repl(m: re.Match[str]) -> str:
        whole, frac = m.group(1), m.group(2) or ""
        if _YEARISH.match(whole) and not frac:
            return m.group(0)  # years stay: questions name them
        return f"{int(whole) + k}{frac}"

    return _NUMBER.sub(repl, text)


def _swap_places(text: str, k: int) -> str:
    """Every place named becomes the place k further on in the table among those of its level."""
    from assistant.vocab import places

    table = places()
    pools: dict[str, list[Any]] = {}
    out, last = [], 0
    hits = table.find(text)
    named = {found[0].name for _, name, found in hits if name == found[0].name}
    for pos, name, found in hits:
        place = found[0]
        if place.name not in named:
            continue  # a short name alone is too often a word ("新兴"): only when its full name is used too
        pool = pools.setdefault(place.level, sorted((p for p in table.places if p.level == place.level),
                                                    key=lambda p: p.code))
        other = pool[(pool.index(place) + k) % len(pool)]
        short = name != place.name and other.aliases
        out += [text[last:pos], other.aliases[0] if short else other.name]
        last = pos + len(name)
    out.append(text[last:])
    return "".join(out)


def edit(text: str, k: int) -> str:
    """Copy k of a document: other places, numbers shifted by k (copy 0 is the original)."""
    return _shift_numbers(_swap_places(text, k), k) if k else text


def copies_for(factor: float) -> int:
    """How many copies of the base make `factor` times the sample's chunks."""
    base = json.loads(_base_stats_path().read_text(encoding="utf-8")) if _base_stats_path().exists() else None
    if base is None:
        from ingest.pipeline import parse_file

        chunks = sum(len(parse_file(p, chunk_tokens=350, max_bytes=10**9)[2]) for p in base_files())
        base = {"chunks": chunks}
        _base_stats_path().parent.mkdir(parents=True, exist_ok=True)
        _base_stats_path().write_text(json.dumps(base), encoding="utf-8")
    return max(1, math.ceil(factor * SAMPLE_CHUNKS / base["chunks"]))


def _base_stats_path() -> Path:
    return COPIES / "base.json"


def write_corpus(factor: float) -> list[list[Path]]:
    """The folders of each copy: the originals for copy 0, then copy001 .. (edited text, written once)."""
    n = copies_for(factor)
    texts: dict[str, str] | None = None
    copies = [list(BASES)]
    for k in range(1, n):
        folder = COPIES / f"copy{k:03d}"
        copies.append([folder])
        if (folder / ".done").exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        texts = texts or base_texts()
        for rel, text in texts.items():
            target = folder / Path(rel).with_suffix(".txt")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edit(text, k), encoding="utf-8")
        (folder / ".done").write_text("", encoding="utf-8")
    return copies


# --- the stages ----------------------------------------------------------------------------------------


_HASH512 = "from assistant.index import embed; embed.HashEmbedder.__init__.__defaults__ = (512,)"


def settings_for(args: argparse.Namespace) -> Any:
    from assistant.config import Settings

    if args.backend == "hash512":  # in this process; `cli()` does the same in the subprocesses
        from assistant.index import embed

        embed.HashEmbedder.__init__.__defaults__ = (512,)
    name = args.data_dir or ROOT / "var" / f"scale-{args.factor:g}{'-hash512' if args.backend == 'hash512' else ''}"
    server = {"chroma_host": "127.0.0.1", "chroma_port": args.chroma_port} if args.chroma_port else {}
    return Settings(
        data_dir=Path(name), embedding_backend="hash" if args.backend == "hash512" else args.backend,
        llm_base_url=None, llm_api_key=None, retriever=args.retriever, **server,
    )


def tag(args: argparse.Namespace) -> str:
    """What a result file is named by: factor, backend, and whether a Chroma server held the store."""
    return f"{args.factor:g}-{{}}-{args.backend}" + ("-server" if args.chroma_port else "")


def cli(args: argparse.Namespace, *argv: str) -> tuple[list[str], dict[str, str]]:
    """The `assistant` command line in a subprocess, with the run's embedder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "ASSISTANT_EMBEDDING_BACKEND": "hash" if args.backend == "hash512" else args.backend}
    if args.chroma_port:
        env.update(ASSISTANT_CHROMA_HOST="127.0.0.1", ASSISTANT_CHROMA_PORT=str(args.chroma_port))
    patch = _HASH512 + "; " if args.backend == "hash512" else ""
    code = f"import sys; {patch}from assistant.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, *argv], env


def stage_ingest(args: argparse.Namespace) -> None:
    from assistant.service import build_assistant
    from ingest.pipeline import ingest_into

    folders = write_corpus(args.factor)
    assistant = build_assistant(settings_for(args))
    steps = []
    for k, folder in enumerate(folders):
        before = load()
        t0, c0 = time.perf_counter(), time.process_time()
        report = ingest_into(assistant, folder)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        step = {
            "copy": k, "files": report.files, "chunks": report.chunks, "embedded": report.embedded,
            "unchanged": report.unchanged_files, "seconds": round(seconds, 2),
            "s_per_1000_chunks": round(1000 * seconds / max(report.chunks, 1), 2), "cpu_s": round(cpu, 2),
            "cpu_s_per_1000_chunks": round(1000 * cpu / max(report.chunks, 1), 2), "total_chunks": len(
                assistant.store.cached_chunks()
            ), "timings_s": report.timings_s, "rss_mb": round(_rss_mb(os.getpid())[0]), **before,
        }
        steps.append(step)
        print(json.dumps(step, ensure_ascii=False), flush=True)
        if report.problems:
            print("\n".join(report.problems), file=sys.stderr)
    fresh = [s for s in steps if s["embedded"]]
    result: dict[str, Any] = {"factor": args.factor, "backend": args.backend, "copies": len(folders), "steps": steps}
    if len(fresh) >= 4:
        q = max(1, len(fresh) // 4)
        first = statistics.mean(s["s_per_1000_chunks"] for s in fresh[:q])
        last = statistics.mean(s["s_per_1000_chunks"] for s in fresh[-q:])
        first_cpu = statistics.mean(s["cpu_s_per_1000_chunks"] for s in fresh[:q])
        last_cpu = statistics.mean(s["cpu_s_per_1000_chunks"] for s in fresh[-q:])
        result.update(first_quarter_s_per_1000=round(first, 2), last_quarter_s_per_1000=round(last, 2),
                      growth=round(last / first - 1, 3), first_quarter_cpu_s_per_1000=round(first_cpu, 2),
                      last_quarter_cpu_s_per_1000=round(last_cpu, 2), cpu_growth=round(last_cpu / first_cpu - 1, 3))
    result["total_chunks"] = steps[-1]["total_chunks"] if steps else 0
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    save(tag(args).format("ingest"), result)


def stage_reingest(args: argparse.Namespace) -> None:
    """An unchanged re-ingest of the whole collection, in a fresh process (as `assistant ingest` runs)."""
    folders = write_corpus(args.factor)
    data_dir = settings_for(args).data_dir
    command, env = cli(args, "--data-dir", str(data_dir), "ingest", *(str(p) for copy in folders for p in copy),
                       "--json")
    before = load()
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {"error": done.stderr[-500:]}
    save(tag(args).format("reingest"), {
        "factor": args.factor, "seconds": round(seconds, 2), "report_seconds": report.get("seconds"),
        "files": report.get("files"), "unchanged": report.get("unchanged_files"), "chunks": report.get("chunks"),
        **before,
    })


def stage_lexical(args: argparse.Namespace) -> None:
    """Lexical index: build from cached term counts, build from Chroma (every file tokenised), load."""
    from assistant.service import build_assistant

    settings = settings_for(args)
    cache = settings.data_dir / "index" / settings.collection
    out: dict[str, Any] = {"factor": args.factor, **load()}
    store = build_assistant(settings).store
    t0 = time.perf_counter()
    snap = store.snapshot()
    out["load_s"] = round(time.perf_counter() - t0, 2)
    out["chunks"] = len(snap.chunks)
    (cache / "meta.json").unlink(missing_ok=True)  # the counts stay: a rebuild without tokenising
    store = build_assistant(settings).store
    t0 = time.perf_counter()
    store.snapshot()
    out["build_from_counts_s"] = round(time.perf_counter() - t0, 2)
    if args.full:
        import shutil

        shutil.rmtree(cache, ignore_errors=True)  # everything fetched from Chroma and tokenised again
        store = build_assistant(settings).store
        t0 = time.perf_counter()
        store.snapshot()
        out["build_from_chroma_s"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    save(tag(args).format("lexical"), out)


def _bm25s_matrix(index: Any) -> Any:
    """A bm25s object holding the score matrix bm25s would precompute for the same documents (the old format)."""
    import bm25s
    import numpy as np

    from assistant.index import lexical

    df = index._df.astype(np.float64)
    idf = np.log(1.0 + (len(index) - df + 0.5) / (df + 0.5)).astype(np.float32)
    terms, docs, weights = [], [], []
    for s, (seg, live) in enumerate(zip(index._segments, index._alive, strict=True)):
        post_terms = np.repeat(np.asarray(seg.terms), np.diff(seg.term_ptr))
        post_docs, tf = np.asarray(seg.post_docs), np.asarray(seg.post_tf)
        w = tf / (index._norm(s)[post_docs] + tf) * idf[post_terms]
        w[~live[post_docs]] = 0.0
        terms.append(post_terms)
        docs.append(post_docs + np.int32(index._offsets[s]))
        weights.append(w)
    order = np.argsort(np.concatenate(terms), kind="stable")
    indptr = np.zeros(len(idf) + 1, dtype=np.int64)
    np.cumsum(np.bincount(np.concatenate(terms), minlength=len(idf)), out=indptr[1:])
    model = bm25s.BM25(k1=lexical.K1, b=lexical.B)
    model.scores = {"data": np.concatenate(weights)[order], "indices": np.concatenate(docs)[order],
                    "indptr": indptr, "num_docs": int(index._offsets[-1])}
    model.vocab_dict = {t: i for i, t in enumerate(index._vocab.terms[: index._n_vocab])}
    model.nonoccurrence_array = None
    return model


def stage_search(args: argparse.Namespace) -> None:
    """BM25 search alone (the store's lexical index, as loaded to answer), every question `--rounds` times, and,
    interleaved, bm25s's precomputed score matrix of the same documents searched as the old format did."""
    import numpy as np

    from assistant.index.lexical import tokenize
    from assistant.service import build_assistant
    from eval import metrics

    index = build_assistant(settings_for(args)).store.snapshot().lexical
    model = _bm25s_matrix(index)
    ids = [index._ids_by_pos[p] for p in range(int(index._offsets[-1]))]

    def matrix_search(query: str, k: int) -> list[tuple[str, float]]:  # the format-1 LexicalIndex.search
        scores = np.asarray(model.get_scores([t for t in tokenize(query) if t in model.vocab_dict]))
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        return [(ids[i], float(scores[i])) for i in hits[np.argsort(-scores[hits], kind="stable")]]

    items = questions()
    times: dict[str, list[float]] = {k: [] for k in ("index", "index_cpu", "index_first", "matrix", "matrix_cpu")}
    before = load()
    for n in range(args.rounds):
        for item in items:
            for name, search in (("index", index.search), ("matrix", matrix_search)):
                w, c = time.perf_counter(), time.thread_time()
                search(item.question, 50)
                wall, cpu = (time.perf_counter() - w) * 1000, (time.thread_time() - c) * 1000
                if name == "index" and n == 0:  # a version's first query of a term weighs its postings
                    times["index_first"].append(wall)
                elif n > 0 or name == "matrix":
                    times[name].append(wall)
                    times[f"{name}_cpu"].append(cpu)
    same = sum(
        [round(s, 4) for _, s in index.search(item.question, 10)] == [round(s, 4) for _, s in matrix_search(item.question, 10)]
        for item in items
    )
    out: dict[str, Any] = {"factor": args.factor, "chunks": len(index), "segments": index.segments,
                           "questions": len(items), "rounds": args.rounds, "same_top10_scores": same}
    for key, values in times.items():
        out[f"{key}_p50_ms"] = round(metrics.percentile(values, 50), 1)
        out[f"{key}_p95_ms"] = round(metrics.percentile(values, 95), 1)
    out.update(before, load_after=load()["load_1m"])
    save(tag(args).format("search"), out)


def questions() -> list[Any]:
    from eval.suite import load_suite

    return [item for suite in SUITES for item in load_suite(suite).items]


def stage_query(args: argparse.Namespace) -> None:
    """Warm in-process latency: retrieval alone and the whole offline answer, every question `--rounds` times.

    Wall time and this thread's CPU time per call: on a machine shared with other jobs the CPU time
    is what the call costs, the wall time adds the waiting for a core. Round 1 embeds each question
    (never seen); later rounds find its embedding in the cache.
    """
    from assistant.service import build_assistant
    from eval import metrics

    assistant = build_assistant(settings_for(args))
    assistant.warm_up()
    items = questions()
    times: dict[str, list[float]] = {k: [] for k in ("retrieve", "retrieve_cpu", "answer", "answer_cpu", "first",
                                                       "first_cpu")}
    before = load()
    for n in range(args.rounds):
        for item in items:
            w, c = time.perf_counter(), time.thread_time()
            assistant.retrieve(item.question)
            wall, cpu = (time.perf_counter() - w) * 1000, (time.thread_time() - c) * 1000
            times["first" if n == 0 else "retrieve"].append(wall)
            times["first_cpu" if n == 0 else "retrieve_cpu"].append(cpu)
            w, c = time.perf_counter(), time.thread_time()
            assistant.ask(item.question)
            times["answer"].append((time.perf_counter() - w) * 1000)
            times["answer_cpu"].append((time.thread_time() - c) * 1000)
    out: dict[str, Any] = {"factor": args.factor, "backend": args.backend, "questions": len(items),
                           "rounds": args.rounds, "chunks": len(assistant.store.cached_chunks())}
    for key, values in times.items():
        if values:
            out[f"{key}_p50_ms"] = round(metrics.percentile(values, 50), 1)
            out[f"{key}_p95_ms"] = round(metrics.percentile(values, 95), 1)
    out.update(before, load_after=load()["load_1m"],
               peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    save(tag(args).format("query"), out)


def stage_quality(args: argparse.Namespace) -> None:
    """hit@1/hit@5 of the suites' answerable questions: a top passage holds the evidence (found only in copy 0)."""
    from assistant.service import build_assistant
    from eval import metrics

    assistant = build_assistant(settings_for(args))
    out: dict[str, Any] = {"factor": args.factor, "backend": args.backend, "retriever": args.retriever,
                           "chunks": len(assistant.store.cached_chunks())}
    for suite in SUITES:
        from eval.suite import load_suite

        ranks = []
        for item in load_suite(suite).items:
            if not (item.answerable and item.evidence):
                continue
            passages = [r.chunk.text for r in assistant.retrieve(item.question, k=5)]
            ranks.append(metrics.first_hit_rank(passages, item.evidence))
        out[suite.stem] = {
            "items": len(ranks),
            "hit@1": round(metrics.mean(metrics.hit_at(r, 1) for r in ranks) or 0, 3),
            "hit@5": round(metrics.mean(metrics.hit_at(r, 5) for r in ranks) or 0, 3),
        }
    save(tag(args).format("quality") + f"-{args.retriever}", out)


def _rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def stage_serve(args: argparse.Namespace) -> None:
    """Start `assistant serve` on the collection, ask every question through the Gradio API, read its peak RSS."""
    import socket

    from gradio_client import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data_dir = settings_for(args).data_dir
    command, env = cli(args, "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1", "--port", str(port))
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        t0 = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 900:
                    raise SystemExit("serve did not start") from None
                time.sleep(1)
        started_s = time.perf_counter() - t0
        after_start = _rss_mb(proc.pid)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        times = []
        for item in questions()[: args.limit]:
            t1 = time.perf_counter()
            client.predict(item.question, [], "", "", api_name="/ask")  # as bench/load_ui.py asks
            times.append((time.perf_counter() - t1) * 1000)
        current, peak = _rss_mb(proc.pid)
        save(tag(args).format("serve"), {
            "factor": args.factor, "start_s": round(started_s, 1), "rss_after_start_mb": round(after_start[0]),
            "rss_mb": round(current), "peak_rss_mb": round(peak), "questions": len(times),
            "request_p50_ms": round(statistics.median(times), 1) if times else None, **load(),
        })
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def stage_report(_args: argparse.Namespace) -> None:
    for path in sorted(OUT.glob("*.json")):
        print(path.stem, path.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stage", choices=["corpus", "ingest", "reingest", "lexical", "search", "query", "quality",
                                          "serve", "report"])
    parser.add_argument("--factor", type=float, default=10)
    parser.add_argument("--backend", default="use", choices=["use", "hash512", "e5", "openai"])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--retriever", default="hybrid", choices=["hybrid", "lexical", "dense"])
    parser.add_argument("--chroma-port", type=int, help="use `chroma run` on 127.0.0.1 at this port (a replica)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=40, help="questions sent to serve")
    parser.add_argument("--full", action="store_true", help="lexical: also rebuild from Chroma (tokenising all)")
    args = parser.parse_args()
    if args.stage == "corpus":
        copies = write_corpus(args.factor)
        print(f"{len(copies)} copies: the originals and {COPIES}/copy001..")
        return
    {"ingest": stage_ingest, "reingest": stage_reingest, "lexical": stage_lexical, "search": stage_search,
     "query": stage_query,
     "quality": stage_quality, "serve": stage_serve, "report": stage_report}[args.stage](args)


if __name__ == "__main__":
    main()
