"""jieba over the cached prefix dictionary: the same words as jieba's own start, and a cache that is rebuilt
when it is missing, stale or damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index import segmenter
from assistant.index.lexical import tokenize

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "data" / "corpus", *sorted(p for p in (ROOT / "data").glob("corpus_*") if p.is_dir())]


def _lines() -> list[str]:
    """Lines of every bundled corpus (a few files each), plus text jieba treats in special ways."""
    lines = ["", "   ", "GDP增长5.5%，R&D投入强度2.5%以上", "到2025年全社会研发投入", "ａｂｃ１２３　全角", "\r\n\t"]
    for corpus in CORPORA:
        for path in sorted(corpus.glob("*.txt"))[:4]:
            lines += path.read_text(encoding="utf-8").split("\n")[:400]
    return lines


@pytest.fixture(scope="module")
def reference() -> object:
    """jieba's own tokenizer, its whole dictionary loaded the usual way."""
    jieba = segmenter.import_jieba()
    with open(segmenter._dictionary_path(jieba), "rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    ref = jieba.Tokenizer()
    ref.FREQ, ref.total, ref.initialized = freq, total, True
    return ref


def test_words_are_jiebas_with_and_without_the_cache(tmp_path: Path, reference: object) -> None:
    built = segmenter.make_tokenizer(tmp_path)  # builds the cache file
    cached = segmenter.make_tokenizer(tmp_path)  # reads it
    assert list(tmp_path.glob("jieba-*.pfx"))
    for line in _lines():
        expected = reference.lcut_for_search(line)  # type: ignore[attr-defined]
        assert built.lcut_for_search(line) == expected, line
        assert cached.lcut_for_search(line) == expected, line
        assert cached.lcut(line) == reference.lcut(line), line  # type: ignore[attr-defined]
    cached.load_all()
    assert cached.FREQ == reference.FREQ and cached.total == reference.total  # type: ignore[attr-defined]


def test_index_terms_are_the_same_with_and_without_the_cache(
    tmp_path: Path, reference: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lexical index's terms (ingest and queries alike) do not depend on how the dictionary was loaded."""
    lines = [line for line in _lines() if line.strip()][:600]
    monkeypatch.setattr(segmenter, "_tokenizer", reference)
    plain = [tokenize(line) for line in lines]
    monkeypatch.setattr(segmenter, "_tokenizer", segmenter.make_tokenizer(tmp_path))
    assert [tokenize(line) for line in lines] == plain


def test_cache_hit_reads_the_file_without_building(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    segmenter.make_tokenizer(tmp_path)
    jieba = segmenter.import_jieba()

    def no_build(f: object) -> None:
        raise AssertionError("the dictionary was parsed again")

    monkeypatch.setattr(jieba.Tokenizer, "gen_pfdict", staticmethod(no_build))
    assert segmenter.make_tokenizer(tmp_path).lcut("全市市场主体数") == ["全市", "市场主体", "数"]


def test_cache_of_another_jieba_or_dictionary_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jieba = segmenter.import_jieba()
    segmenter.make_tokenizer(tmp_path)
    (old,) = tmp_path.glob("jieba-*.pfx")
    monkeypatch.setattr(jieba, "__version__", jieba.__version__ + ".post1")
    tok = segmenter.make_tokenizer(tmp_path)
    files = sorted(tmp_path.glob("jieba-*.pfx"))
    assert len(files) == 2 and old in files  # a new key, a new file
    assert tok.lcut("全市市场主体数") == ["全市", "市场主体", "数"]
    # a file renamed onto the new key's name still names the old key inside: refused and rebuilt
    new = next(f for f in files if f != old)
    new.write_bytes(old.read_bytes())
    assert segmenter.make_tokenizer(tmp_path).lcut("全市市场主体数") == ["全市", "市场主体", "数"]
    assert new.read_bytes() != old.read_bytes()


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_damaged_cache_is_rebuilt_without_error(
    tmp_path: Path, damage: str, reference: object, caplog: pytest.LogCaptureFixture
) -> None:
    segmenter.make_tokenizer(tmp_path)
    (path,) = tmp_path.glob("jieba-*.pfx")
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"not a cache at all" * 10)
    path.write_bytes(bytes(data))
    tok = segmenter.make_tokenizer(tmp_path)
    line = "到2025年全市市场主体数要达到多少万户？"
    assert tok.lcut_for_search(line) == reference.lcut_for_search(line)  # type: ignore[attr-defined]
    assert segmenter.PrefixDict(path, segmenter.cache_key(segmenter.import_jieba())).total > 0  # rewritten whole


def test_function_words_tags_come_with_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache holds jieba's part-of-speech tags of its function words (adverbs, pronouns, particles…), read as
    jieba's own dictionary gives them; any other word has none."""
    built = segmenter.make_tokenizer(tmp_path)
    cached = segmenter.make_tokenizer(tmp_path)
    assert built.tags == cached.tags and len(cached.tags) > 1000
    monkeypatch.setattr(segmenter, "_tokenizer", cached)
    assert segmenter.function_tag("已经") == "d" and segmenter.function_tag("这些") == "r"
    assert segmenter.function_tag("如果") == "c"
    assert segmenter.function_tag("污染") is None and segmenter.function_tag("碳达峰") is None


def test_every_word_s_tag_comes_with_the_cache_and_without_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word's part-of-speech tag is jieba's dictionary's, read from the cache file, and the same when the cache
    cannot be written (the dictionary kept in memory); a word the dictionary does not list has none."""
    jieba = segmenter.import_jieba()
    with open(segmenter._dictionary_path(jieba), encoding="utf-8") as f:
        listed = dict(line.split()[::2] for line in f if len(line.split()) == 3)
    words = ["库容", "达到", "市里", "已经", "公园", "一年"]
    monkeypatch.setattr(segmenter, "_tokenizer", segmenter.make_tokenizer(tmp_path))
    assert [segmenter.word_tag(w) for w in words] == [listed[w] for w in words]
    assert segmenter.word_tag("库容") == "n" and segmenter.word_tag("达到") == "v"
    assert segmenter.word_tag("能办") is None  # (not a word of the dictionary)

    def unwritable(*args: object, **kwargs: object) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(segmenter.PrefixDict, "write", unwritable)
    monkeypatch.setattr(segmenter, "_tokenizer", segmenter.make_tokenizer(tmp_path / "other"))
    assert [segmenter.word_tag(w) for w in words] == [listed[w] for w in words]
    assert segmenter.function_tag("已经") == "d"

