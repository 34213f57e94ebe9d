"""Embedders: the fake, the disk cache, the bundled models and an OpenAI-compatible endpoint."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from pydantic import SecretStr

from assistant.config import Settings
from assistant.index.embed import (
    WINDOW_CHARS,
    CachedEmbedder,
    E5Embedder,
    Embedder,
    HashEmbedder,
    OpenAIEmbedder,
    USEEmbedder,
    as_langchain,
    clip,
    make_embedder,
)

MANUFACTURING = "加快建设现代化产业体系，推动制造业高质量发展。"
MANUFACTURING_2 = "推进先进制造业集群建设，提升产业链供应链水平。"
FLOODS = "今年夏天雨水较多，市民出行请注意防汛安全。"


def cos(a: list[float], b: list[float]) -> float:
    va, vb = np.asarray(a), np.asarray(b)
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))


def test_hash_embedder_is_deterministic_and_normalised():
    e = HashEmbedder()
    a = e.embed_documents([MANUFACTURING, FLOODS])
    b = HashEmbedder().embed_documents([MANUFACTURING, FLOODS])
    assert a == b
    assert len(a[0]) == e.dim == 256
    assert np.linalg.norm(a[0]) == pytest.approx(1.0)
    assert isinstance(e, Embedder)


def test_hash_embedder_texts_sharing_words_are_closer():
    e = HashEmbedder()
    q = e.embed_query("制造业高质量发展")
    assert cos(q, e.embed_query(MANUFACTURING)) > cos(q, e.embed_query(FLOODS)) + 0.2


def test_cached_embedder_counts_hits_and_misses_and_persists(tmp_path):
    inner = HashEmbedder()
    cache = CachedEmbedder(inner, tmp_path / "cache.sqlite")
    first = cache.embed_documents([MANUFACTURING, FLOODS, MANUFACTURING])
    assert (cache.hits, cache.misses, inner.calls) == (1, 2, 2)  # the duplicate is embedded once
    again = cache.embed_documents([FLOODS, MANUFACTURING])
    assert (cache.hits, cache.misses, inner.calls) == (3, 2, 2)
    assert np.allclose(again, [first[1], first[0]], atol=1e-6)
    cache.close()

    fresh_inner = HashEmbedder()
    reopened = CachedEmbedder(fresh_inner, tmp_path / "cache.sqlite")
    assert np.allclose(reopened.embed_documents([MANUFACTURING]), [first[0]], atol=1e-6)
    assert (reopened.hits, reopened.misses, fresh_inner.calls) == (1, 0, 0)


def test_cache_keys_depend_on_model_name(tmp_path):
    path = tmp_path / "cache.sqlite"
    CachedEmbedder(HashEmbedder(dim=256), path).embed_documents([MANUFACTURING])
    other = CachedEmbedder(HashEmbedder(dim=64), path)
    vec = other.embed_documents([MANUFACTURING])[0]
    assert other.misses == 1 and len(vec) == 64


def test_make_embedder_wraps_backend_in_cache(tmp_path):
    emb = make_embedder(Settings(data_dir=tmp_path, embedding_backend="hash"))
    assert isinstance(emb, CachedEmbedder) and isinstance(emb.inner, HashEmbedder)
    assert not (tmp_path / "embed_cache.sqlite").exists()  # nothing happens until first use
    emb.embed_query("目标")
    assert (tmp_path / "embed_cache.sqlite").exists()


def test_langchain_adapter_delegates():
    e = HashEmbedder()
    lc = as_langchain(e)
    assert lc.embed_query(FLOODS) == e.embed_query(FLOODS)
    assert lc.embed_documents([FLOODS]) == e.embed_documents([FLOODS])


@pytest.mark.parametrize("factory", [USEEmbedder, E5Embedder], ids=["use", "e5"])
def test_bundled_model_ranks_similar_sentences_closer(factory):
    e = factory()
    docs = e.embed_documents([MANUFACTURING, MANUFACTURING_2, FLOODS])
    assert [len(v) for v in docs] == [e.dim] * 3
    assert cos(docs[0], docs[1]) > cos(docs[0], docs[2])
    q = e.embed_query("如何推动制造业发展？")
    assert len(q) == e.dim
    assert cos(q, docs[0]) > cos(q, docs[2])


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        fake = HashEmbedder(dim=8)
        data = [
            {"object": "embedding", "index": i, "embedding": fake.embed_query(t)}
            for i, t in reversed(list(enumerate(inputs)))  # out of order: the client must sort
        ]
        payload = json.dumps(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_server():
    _EmbeddingsHandler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", _EmbeddingsHandler.seen
    finally:
        server.shutdown()
        server.server_close()


def test_openai_embedder_batches_and_sends_key(embeddings_server):
    base_url, seen = embeddings_server
    key = "sk-test-very-secret-123"
    e = OpenAIEmbedder(model="emb-small", base_url=base_url, api_key=SecretStr(key), batch_size=2)
    texts = [MANUFACTURING, MANUFACTURING_2, FLOODS]
    vectors = e.embed_documents(texts)
    assert np.allclose(vectors, HashEmbedder(dim=8).embed_documents(texts))
    assert e.dim == 8
    assert sorted(len(r["body"]["input"]) for r in seen) == [1, 2]  # two requests, sent at once
    assert {r["auth"] for r in seen} == {f"Bearer {key}"}
    assert {r["path"] for r in seen} == {"/v1/embeddings"}
    assert seen[0]["body"]["model"] == "emb-small"
    for shown in (repr(e), str(e), repr(CachedEmbedder(e, Path("x.sqlite")))):
        assert key not in shown


def test_make_embedder_openai_uses_llm_endpoint_when_no_embedding_url(embeddings_server, tmp_path):
    base_url, seen = embeddings_server
    settings = Settings(
        data_dir=tmp_path, embedding_backend="openai", llm_base_url=base_url, llm_api_key=SecretStr("k1")
    )
    emb = make_embedder(settings)
    assert len(emb.embed_query("发展目标")) == 8
    assert seen[0]["auth"] == "Bearer k1"
    assert emb.name == "openai:text-embedding-3-small"


def test_no_embedder_sees_more_than_its_window(tmp_path):
    class Recording(HashEmbedder):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            seen.extend(len(t) for t in texts)
            return super().embed_documents(texts)

    seen: list[int] = []
    huge = "规划" * 500_000  # a 1 MB question
    cache = CachedEmbedder(Recording(), tmp_path / "cache.sqlite")
    assert len(cache.embed_query(huge)) == 256
    cache.embed_documents([huge, "短文本"])
    assert max(seen) <= WINDOW_CHARS
    assert USEEmbedder.max_chars <= WINDOW_CHARS and E5Embedder.max_chars <= WINDOW_CHARS
    assert clip(huge) == huge[:WINDOW_CHARS] and clip("短") == "短"


def test_a_damaged_embedding_cache_starts_afresh(tmp_path):
    path = tmp_path / "cache.sqlite"
    first = CachedEmbedder(HashEmbedder(), path).embed_documents([MANUFACTURING])
    path.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    cache = CachedEmbedder(HashEmbedder(), path)
    assert np.allclose(cache.embed_documents([MANUFACTURING]), first)
    assert cache.misses == 1 and list(tmp_path.glob("cache.sqlite.corrupt-*"))
    again = CachedEmbedder(HashEmbedder(), path)
    again.embed_documents([MANUFACTURING])
    assert again.hits == 1  # the new cache works
