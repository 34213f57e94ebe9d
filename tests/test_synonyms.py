"""Synonym groups users add (in the workspace or a file): validated, kept in the data directory, applied to the
next question without a restart."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import UserError
from assistant.service import build_assistant
from assistant.synonyms import USER_FILE, SynonymTable
from assistant.vocab import DATA_DIR, read_groups


def test_groups_added_and_removed_are_kept_in_the_data_directory(tmp_path: Path):
    table = SynonymTable(tmp_path)
    assert table.user_groups() == [] and table.current().of("普惠园") == set()
    assert table.add_group(" 普惠园 | 普惠性幼儿园 ｜普惠园 ") == ["普惠园", "普惠性幼儿园"]
    assert table.current().of("普惠园") == {"普惠性幼儿园"}  # the next question sees it
    again = SynonymTable(tmp_path)  # a restarted workspace reads the same file
    assert again.user_groups() == [["普惠园", "普惠性幼儿园"]]
    assert (tmp_path / USER_FILE).read_text(encoding="utf-8").startswith("# version: 1\n")
    assert again.remove_group(0) == ["普惠园", "普惠性幼儿园"]
    assert table.current().of("普惠园") == set() and table.user_groups() == []


@pytest.mark.parametrize(("text", "reason"), [
    ("普惠园", "至少需要两个词"), ("", "至少需要两个词"), ("甲|乙乙", "至少两个字"),
    ("普惠园|" + "长" * 31, "过长"), ("|".join(f"词{i}" for i in range(13)), "最多"), ("#注释|普惠园", "#"),
])
def test_groups_that_cannot_be_used_are_refused_in_chinese(tmp_path: Path, text: str, reason: str):
    with pytest.raises(UserError, match=reason):
        SynonymTable(tmp_path).add_group(text)


def test_a_group_twice_and_a_removed_group_twice_are_refused(tmp_path: Path):
    table = SynonymTable(tmp_path)
    table.add_group("普惠园|普惠性幼儿园")
    with pytest.raises(UserError, match="已经存在"):
        table.add_group("普惠性幼儿园|普惠园")
    table.remove_group(0)
    with pytest.raises(UserError, match="没有这组"):
        table.remove_group(0)


def test_a_hand_edited_file_and_the_settings_file_are_read_too(tmp_path: Path):
    extra = tmp_path / "mine.txt"
    extra.write_text("# 本单位用语\n两区|自贸区与综保区\n", encoding="utf-8")
    table = SynonymTable(tmp_path / "data", extra)
    assert table.current().of("两区") == {"自贸区与综保区"} and table.file_groups() == [["两区", "自贸区与综保区"]]
    assert len(table.current().groups) == len(read_groups(DATA_DIR / "synonyms.txt")) + 1
    user = tmp_path / "data" / USER_FILE
    user.parent.mkdir()
    user.write_text("放管服|放管服改革\n", encoding="utf-8")  # edited by hand, no version line
    past = time.time() - 5
    os.utime(user, (past, past))
    assert table.current().of("放管服") == {"放管服改革"}
    assert SynonymTable(tmp_path, enabled=False).current() is None  # ASSISTANT_SYNONYMS=false


def test_the_running_assistant_uses_a_group_added_after_it_started(tmp_path: Path):
    settings = Settings(_env_file=None, data_dir=tmp_path, embedding_backend="hash", synonyms_in_search=True)
    assistant = build_assistant(settings)
    assert assistant.answerer.offline.synonyms.of("普惠园") == set()
    before = assistant.answerer.offline.synonyms_version
    assistant.synonyms.add_group("普惠园|普惠性幼儿园")
    assert assistant.answerer.offline.synonyms.of("普惠园") == {"普惠性幼儿园"}
    assert assistant.answerer.offline.synonyms_version != before  # caches over the table rebuild
    assert "普惠性幼儿园" in assistant.retriever._expanded("普惠园覆盖率")  # lexical search asks for both wordings
