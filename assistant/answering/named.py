"""Whether the units chosen for a facet name what the question asks of the thing it is about: the year
("哪一年", a statement's 今年/去年 resolved, the heading's year told), the place ("哪个市", "选址在哪儿"; the place
whose document says it told), the town ("哪个乡镇") or the body ("哪个部门牵头", "哪所高校"). Each says what, not
when, where or who, when it names none."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from assistant.answering.candidates import Candidate
from assistant.answering.terms import QuestionTerms
from assistant.index.segmenter import lcut, word_count
from assistant.retrieval.routing import DocProfile, place_names
from assistant.text import norm, years_in
from assistant.vocab import places, section, vocabulary

WHICH_YEAR = re.compile(r"哪一?年|什么年份|哪个年份")


def with_year(unit: Candidate, doc_year: int | None) -> Candidate:
    """"哪一年…首次…" answered by "今年首次…": the year the statement's 今年/去年 stands for, said after it; one
    that names no year under a heading naming one ("一、2013年工作回顾") is of that year."""
    if doc_year is None:
        return unit
    said = "、".join(f"{w}即{doc_year + d}年" for w, d in vocabulary().relative_years.items() if w in unit.text)
    heading = next((h for h in reversed(unit.chunk.section) if years_in(h)), "")  # the nearest naming a year
    if not said and not years_in(unit.text) and len(years := years_in(heading)) == 1:
        return replace(unit, display=f"{unit.display}（{years.pop()}年，据《{unit.chunk.title}》“{heading}”）")
    if not said:
        return unit
    return replace(unit, display=f"{unit.display}（{said}，据《{unit.chunk.title}》）")


TITLED = re.compile(r"《[^》]*》")  # a document named by its title (which names its year, not the statement's)


def year_unnamed(chosen: list[Candidate], asked: str = "") -> bool:
    """A year asked ("这个会是哪年开的", "计划哪年通车") answered by statements naming none, even after with_year: they
    say what, not when. The year of the heading a statement stands under is none when the question names it itself
    ("18年报告说优惠再延三年，延到哪一年": the report's own year says nothing of when it ends)."""
    given = years_in(asked)
    relative = vocabulary().relative_years
    return bool(chosen) and not any(
        years_in(u.text) or years_in(TITLED.sub("", u.display)) - given or any(w in u.text for w in relative)
        for u in chosen
    )


# ("哪几个县市上榜": several places asked, often by short names; "哪些地区"/"哪些区域" ask regions, not divisions)
_WHICH_PLACE = re.compile(
    r"哪(?:个|一个|座)?(省份|省|城市(?!群)|市|县|区(?!域)|州|自治区|地区)(?![级直属场城])"
    r"|哪(?:些|几个|几)(省份|省|城市(?!群)|地级市|地市|市|县|区(?!域)|州)(?![级直属场城])"
)  # (not a level of something else: "哪些省级试点", "哪些市直部门", "哪个市场主体", "哪个县城")
_LEVEL_WORD = {"省份": "省", "城市": "市", "地市": "市", "地级市": "市"}  # ("主赛区定在哪个城市": a city)


# where a thing stands asked ("选址定在哪儿了", "建在哪里", "在哪下线的", "新站搬到哪儿"): a place of any level, or a
# zone, answers; not where effort goes ("重点放在哪", "主要用在哪")
_WHERE = re.compile(
    r"(?:选址|选在|建在|设在|落在|落户|位于|坐落|搬到|迁到|迁往|迁至)(?:定在|在)?了?(?:哪儿|哪里|哪)(?![个些几一家所])"
    r"|在哪(?:儿|里)?(?:建|开|办|举办|下线|落地|选址)"
)


def which_place(question: str) -> str | None:
    """The level of place a question asks for ("…的是哪个省" -> 省, "都在哪些城市" -> 市; "选址在哪儿" -> 地点, a place
    of any level), else None."""
    if (m := _WHICH_PLACE.search(question)) is None:
        return "地点" if _WHERE.search(question) else None
    word = m.group(1) or m.group(2)
    return _LEVEL_WORD.get(word, word)


def places_asked(question: str) -> bool:
    """Whether a question asks for several places ("哪几个县市上榜", "分布在哪些地市")."""
    return bool((m := _WHICH_PLACE.search(question)) and m.group(2))


def place_unnamed(
    chosen: list[Candidate], level: str | None = None, homes: dict[str, str] | None = None, asked: str = "",
    terms: QuestionTerms | None = None,
) -> bool:
    """A place asked ("两个智算集群分别落在哪个区") answered by statements naming none (a division of the table, a
    zone: "…开发区", "…新区"): they say what, not where; asked of a level ("主赛区定在哪个城市"), none of that level
    (the province of the document a note cites is none). With homes (each document's own place, when several places
    are asked), a short name of a place inside the document's own counts ("瓦房店、海城、庄河上榜"; "推进兴业、强县" names
    no county of another province). A place the question names itself is no answer ("石家庄都市圈包括周边哪几个市县":
    "抓好石家庄都市圈规划建设" names none asked). With the question's terms, only statements holding one of its key
    terms count: a place named by a statement chosen beside them ("支持某市港产城融合发展") says nothing of where the
    thing asked is. (Run after with_place, which names the document's own.)"""
    table = places()  # (a county's short name is often an everyday word: "振兴")
    wanted = next((lvl for lvl, words in section("levels").items() if level in words), None)

    def names(unit: Candidate) -> bool:
        home = (homes or {}).get(unit.chunk.doc_id)
        return any(
            (not wanted or p.level == wanted) and (table.is_name(name) or home in p.parents)
            for _, name, ps in table.find(_CITED.sub("", unit.display)) for p in ps if name not in asked
            and not any(len(a) >= 2 and a in asked for a in (p.name, *p.aliases))  # (asked by any of its names)
        )

    return bool(chosen) and not any(
        names(u) or wanted in (None, "county") and _ZONE.search(u.display) for u in _about(chosen, terms, True, asked)
    )


def _about(
    chosen: list[Candidate], terms: QuestionTerms | None, clauses: bool = False, asked: str = ""
) -> list[Candidate]:
    """The chosen statements about the thing asked: those holding one of the question's three weightiest terms that
    name a thing (no figure, no place); all of them when none does, or no terms are given. With `clauses`, each is
    cut to its clauses holding one, after any note naming whose document it is ("精心筹办甲市冬运会，办好第七届
    世界军人运动会" says nothing of where the second is held); when one place is asked, to the items of an
    enumeration too ("甲市乙广场项目、丙购物乐园、…": where the first is says nothing of the second)."""
    if terms is None:
        return chosen
    table = places()
    ranked = sorted(terms.weights, key=lambda t: -terms.weights[t])
    key = [t for t in ranked if len(t) >= 2 and not re.search(r"\d", t) and not table.is_name(t)][:3]
    about = [u for u in chosen if any(terms.has(t, norm(u.display)) for t in key)]
    if not about:
        return chosen
    if not clauses:
        return about
    asking = [t for t in key if re.search(rf"{re.escape(t)}[^，,。？?]{{0,2}}哪", asked)]

    def cut(unit: Candidate) -> Candidate:
        head = unit.display.split("）：", 1)[0] + "）："  # (with_place's note: "甲省（据《…》）：")
        note = head if "据《" in head else ""
        parts = (_CLAUSE if places_asked(asked) else _ITEM).split(unit.display[len(note) :])
        said = [sum(1 for t in key if terms.has(t, norm(c))) for c in parts]
        # (the clauses saying most of them: "支持甲市打造入境旅游标杆城市，办好全省旅游发展大会" holds the place in a
        # clause sharing one word with "旅游发展大会", not in the one naming it; and one saying the word the question
        # asks where with, "位于哪里": "位于甲示范区，已建成…")
        held = [c for c, x in zip(parts, said, strict=True)
                if x and (x == max(said) or any(terms.has(t, norm(c)) for t in asking))]
        # (a term found only across clauses, a compound written with a word inside, keeps the statement whole)
        return replace(unit, display=note + "".join(held)) if held else unit

    return [cut(u) for u in about]


_CLAUSE = re.compile(r"(?<=[，,；;。])")
_ITEM = re.compile(r"(?<=[，,；;。、])")  # (and an enumeration's items, when one place is asked)


_CITED = re.compile(r"据《[^》]*》")  # (a note citing a document: "（2025年，据《2025年某省政府工作报告》…）")


# ("具体是哪个乡镇", "首批都挑了哪几个镇", "都是哪些村", "选址在哪个办事处": places below a county, which the
# table of divisions does not hold)
_WHICH_TOWN = re.compile(r"哪(?:个|一个|些|几个|几)?(?:乡镇|镇村|镇|乡|村|街道|办事处)")
_TOWN = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:镇|乡|村|街道|办事处)")
_COMMON = 300  # (a word jieba's dictionary counts this often is an everyday word: 特色村, 中心镇, 示范乡 name no place)


def town_unnamed(chosen: list[Candidate], asked: str, terms: QuestionTerms | None = None) -> bool:
    """A town, village or street asked ("那1个示范乡（镇）具体是哪个乡镇", "首批都挑了哪几个镇") answered by statements
    naming none: a name ends in 镇/乡/村/街道/办事处 after two characters that are no everyday word ("王洛镇", "十八洞村",
    not "中心镇", "特色村"), nor is the character before with the ending one ("乡村", "进村")."""
    if not chosen or not _WHICH_TOWN.search(asked):
        return False
    return not any(_names_town(u.display) for u in _about(chosen, terms))


def _names_town(text: str) -> bool:
    for m in _TOWN.finditer(text):
        if word_count(text[m.start() - 2 : m.start()]) < _COMMON and word_count(text[m.start() - 1 : m.end()]) < 50:
            return True
    return False


def body_unnamed(asked: str, chosen: list[Candidate]) -> bool:
    """A body asked ("建就业驿站那件是哪个厅牵头负责的", "由哪个部门牵头") answered by statements naming none (an office,
    a bureau, a commission…): they say what is done, not who does it. So for an institution asked by its kind ("依托哪所
    高校", "哪家医院当龙头"): a statement naming none of that kind ("省属本科高校", "医学救治中心") does not answer."""
    if not chosen:
        return False
    if _BODY_ASKED.search(asked) and not any(_names_body(u.display, asked) for u in chosen):
        return True
    if _MAKER_ASKED.search(asked) and not any(
        _names_body(u.display, asked, ("中心",)) or _AGENT.search(u.display) for u in chosen
    ):
        return True
    named = next((named for which, named in _institutions() if which.search(asked)), None)
    own = norm(asked)  # (one the question names itself is no answer: "甲学校创办的乙学院跟哪所院校合作")
    return named is not None and not any(
        norm(m.group()[-5:]) not in own for u in chosen for m in named.finditer(u.display)
    )


# a maker or operator asked ("是哪家企业研制的", "哪家研究机构搞出来的"): a body named, or one said to lead, build or
# back it ("以甲科技为龙头", "依托乙热电")
_MAKER_ASKED = re.compile(
    r"哪(?:一|几)?家[\u4e00-\u9fff]{0,4}?(?:企业|央企|国企|药企|公司|厂|商|研究机构|科研机构|单位|局)"
    r"|哪个(?:施工|建设|承建|运营|设计|开发)(?:单位|企业|主体)"
)
_AGENT = re.compile(
    r"(?:以|由|依托)[\u4e00-\u9fff、]{2,12}?(?:为|牵头|承建|建设|运营|研制|研发|等|，)"
    r"|[\u4e00-\u9fff]{2,}(?:、[\u4e00-\u9fff]{2,8})*等[\u4e00-\u9fff]{0,6}企业"  # ("支持甲科技、乙软件等企业做精做强")
    r"|(?:^|[，。；、])[\u4e00-\u9fff]{2,6}获(?!得感|批)"  # (one said to win, opening its clause: "甲物探获…一等奖")
)


def _names_body(text: str, asked: str, facilities: tuple[str, ...] = ()) -> bool:
    """Whether a statement names a body: one of vocab's body endings after two characters or more, ending a word
    ("省委网信办负责", "国家发展改革委会同"; not "扎实办好", "高效办成一件事"), and not the body the question asks about
    ("小组办公室设在哪个部门": the office itself is no answer), nor one of the same ending as a body the question names
    ("甲试飞中心由哪家单位牵头建": "乙技术创新中心获批" names a peer of it, not who runs it). A 政府 is a place's
    ("某市人民政府", "区政府"; not "数字政府"), and 办 an office's ("网信办"; not "网上办、一次办"). `facilities`:
    endings read as places, not bodies, here (a maker asked: "分拨中心")."""
    ends, pairs = _word_ends(text)
    peers = {m.group() for m in _body_end_pattern().finditer(_WHICH_BODY.sub("", asked))} | set(facilities)
    # (an ending closing a word of two characters is no body's: "新发展格局", "主办", "大厅")
    words = {m.end() for m in _body_end_pattern().finditer(text) if m.end() in ends and m.group() not in peers
             and not (len(m.group()) == 1 and m.end() in pairs)
             and not (m.group() == "政府" and not _GOVERNMENT.search(text, 0, m.start()))
             and not (m.group() == "办" and text[m.start() - 1] in _HANDLED)}
    own = norm(asked).replace("的", "")
    return any(norm(text[max(0, end - 5) : end]) not in own for end in words) or bool(_BODY_ROLE.search(text))


_LEVELS = "省市县区州盟旗乡镇村"


def _word_ends(text: str) -> tuple[set[int], set[int]]:
    """Where words end (jieba's word boundaries, and before a word a body is followed by: "会同", "按职责"), and where
    the dictionary's words of two characters end, but a place level's body ("省委", "市委"), from one segmentation."""
    ends, pairs, at = set(), set(), 0
    for word in lcut(text):
        at += len(word)
        ends.add(at)
        if len(word) == 2 and word[0] not in _LEVELS and word_count(word):
            pairs.add(at)
    return ends | {m.start() for m in _BODY_FOLLOW.finditer(text)}, pairs


@cache
def _institutions() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """For each kind of institution in vocab's institution_endings: how a question asks which one, and how a name of
    that kind reads (compiled once)."""
    return [
        (re.compile(rf"哪(?:所|家|个|一所|一家|一个|几所|几家|几个|些)?{kind}"),
         re.compile(rf"[\u4e00-\u9fff（）()]{{2,}}?(?:{'|'.join(ends)})"))
        for kind, ends in section("reading")["institution_endings"].items()
    ]


# ("哪家单位" asks an organisation, a company or an institute, unless a duty is asked of it: "哪家单位拿了一等奖")
_BODY_ASKED = re.compile(
    r"哪(?:个|一个|些|几个|几家)?(?:[省市县区][直级属])?(?:部门|部委|单位|机构|厅|局|委|办)"  # ("哪个市直部门")
    r"|哪家(?:部门|部委|机构|厅|局|委|办)"
    r"|哪家单位(?=[^。？?]*(?:牵头|负责|主管|承担))"
    r"|谁(?:牵头|负责|来管|主管)|牵头(?:单位|部门)是"
)
_HANDLED = "上次近时即快帮代好能可要同联线"  # (办 as how a matter is handled: "网上办", "一次办", "就近办")
_GOVERNMENT = re.compile(r"(?:人民|[市省县区州镇乡旗])$")  # (what a government's name ends with before 政府)
_WHICH_BODY = re.compile(r"哪(?:个|一个|些|几个|几家|家|所)?[\u4e00-\u9fff]{1,2}")  # (the kind asked: "哪几个部门")
_BODY_FOLLOW = re.compile(r"(?<=[\u4e00-\u9fff])(?=牵头|负责|会同|联合|配合|按|等|和|与|及|[、，,。；;）)])")
_BODY_ROLE = re.compile(r"(?:牵头|责任|成员|主管)单位")


@cache
def _body_end_pattern() -> re.Pattern[str]:
    reading = section("reading")
    endings = sorted({*reading["body_endings"], *reading["leading_body_endings"], *reading["word_body_endings"]},
                     key=len, reverse=True)
    return re.compile(rf"(?<=[\u4e00-\u9fff]{{2}})(?:{'|'.join(map(re.escape, endings))})")


_ZONE = re.compile(r"[\u4e00-\u9fff]{2,}(?:新区|开发区|经开区|高新区|园区|自贸区|试验区|示范区)")


def with_place(unit: Candidate, doc: DocProfile, asked: str) -> Candidate:
    """"去年新能源汽车产量达到119.8万辆的是哪个省": a report's statement names no place of its own; the place
    whose document says it answers, said before it, when it is of the level asked."""
    place = doc.place
    fits = any(asked in words for level, words in section("levels").items() if level == doc.level)
    if not place or not fits or any(name in unit.text for name in place_names(place)):
        return unit
    return replace(unit, display=f"{place}（据《{unit.chunk.title}》）：{unit.display}")
