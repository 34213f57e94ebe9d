"""Product code names no place of the corpora it was developed on: places come from the division table."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("assistant", "ingest", "ui", "prompts")
SUFFIXES = {".py", ".md", ".toml"}  # places.tsv, the table itself, is data and is not searched

# the sample corpus's city and its districts/counties, the policy notice's prefecture, and the provinces
# and municipalities of the second corpus
CORPUS_PLACES = (
    "许昌", "魏都", "建安", "禹州", "长葛", "鄢陵", "襄城", "阿坝",
    "安徽", "福建", "广东", "河北", "河南", "湖北", "湖南", "江苏", "辽宁", "陕西", "山东", "云南",
    "北京", "上海", "重庆",
    # and places the national reports and the suites over them name, once used as examples in comments
    "浙江", "四川", "杭州", "西湖",
)


def test_product_code_names_no_place_of_the_corpora() -> None:
    files = [p for pkg in PRODUCT for p in sorted((ROOT / pkg).rglob("*")) if p.suffix in SUFFIXES]
    assert len(files) > 20  # the search looked where the code is
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {name}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for name in CORPUS_PLACES
        if name in line
    ]
    assert offenders == []
