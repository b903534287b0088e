"""What an export should hold, computed from the curriculum's TOML, independently of coursepack.

Markdown is rendered with markdown-it-py (CommonMark + GFM tables and strikethrough, raw HTML
shown as text, as coursepack does), and HTML from either side is compared as text: tags become
spaces, entities are decoded, whitespace runs collapse. So a comparison catches lost or mangled
characters (escaping bugs) without depending on two renderers agreeing on markup details.
"""

import html
import re
import sys
import tomllib
from pathlib import Path

from markdown_it import MarkdownIt

MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
TAG = re.compile(r"<[^>]*>")


class Failure(Exception):
    pass


def text(fragment):
    """HTML as comparable text."""
    if fragment is None:
        return None
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def md(source):
    """Markdown as comparable text."""
    if source is None:
        return None
    return text(MD.render(source))


def plain(value):
    """Plain text (short answers, drop-down items) as comparable text."""
    return " ".join(value.split())


def load(course_dir):
    """Every question of the course, in course order, as the exports should show it."""
    root = Path(course_dir)
    course = tomllib.loads((root / "course.toml").read_text("utf-8"))
    questions = []
    for module_id in course["modules"]:
        module = tomllib.loads((root / "modules" / f"{module_id}.toml").read_text("utf-8"))
        for q in module.get("questions", []):
            questions.append(expected(q, module_id))
    return course, questions


def expected(q, module_id):
    kind = q["type"]
    e = {
        "id": q["id"],
        "module": module_id,
        "bank": q.get("bank", "practice"),
        "type": kind,
        "points": q.get("points", 1),
        "objectives": q["objectives"],
        "prompt": md(q["prompt"]),
        "feedback": md(q.get("explanation")),
    }
    if kind in ("single-choice", "multiple-choice"):
        answers = [q["answer"]] if kind == "single-choice" else q["answer"]
        e["choices"] = sorted(
            [(md(a), True) for a in answers] + [(md(d), False) for d in q["distractors"]]
        )
    elif kind == "true-false":
        e["answer"] = q["answer"]
    elif kind == "short-answer":
        e["accepted"] = [plain(a) for a in q["answer"]]
    elif kind == "matching":
        e["pairs"] = sorted((md(left), plain(right)) for left, right in q["pairs"])
    elif kind == "essay":
        e["rubric"] = md(q["rubric"])
        e["model"] = md(q.get("answer"))
    return e


def credit(e):
    """Moodle credit in percent per choice text, by coursepack's documented rule."""
    correct = sum(1 for _, c in e["choices"] if c)
    wrong = len(e["choices"]) - correct
    if e["type"] == "single-choice":
        return {t: (100.0 if c else 0.0) for t, c in e["choices"]}
    # Only grades on Moodle's list (docs/lms.md): 11-20 correct take 10% and 5% shares, more
    # than 10 wrong cost 10% (5% from 20).
    penalty = 100.0 / wrong if wrong <= 10 else (10.0 if wrong < 20 else 5.0)
    tens = 20 - correct if correct > 10 else 0
    out = {}
    for t, c in e["choices"]:
        if not c:
            out[t] = -penalty
        elif correct <= 10:
            out[t] = 100.0 / correct
        else:
            out[t] = 10.0 if tens > 0 else 5.0
            tens -= 1
    return out


def selection(course, questions, form):
    """The questions an export must hold: all of them, or (for a form) which ids may appear and
    how many must."""
    if not form:
        return {q["id"]: q for q in questions}, len(questions)
    exam = course["exam"]
    per_module = exam.get("questions_per_module")
    by_module = exam.get("blueprint", {}).get("modules", {})
    pool = {q["id"]: q for q in questions if q["bank"] == "exam"}
    count = 0
    for module_id in course["modules"]:
        in_bank = sum(1 for q in pool.values() if q["module"] == module_id)
        wanted = by_module.get(module_id, per_module)
        count += in_bank if wanted is None else min(wanted, in_bank)
    return pool, count


def check_selection(found_ids, pool, count, what):
    """Every exported question is expected, none twice, and none is missing."""
    if len(found_ids) != len(set(found_ids)):
        raise Failure(f"{what}: a question appears twice: {sorted(found_ids)}")
    unknown = set(found_ids) - set(pool)
    if unknown:
        raise Failure(f"{what}: questions not in the source selection: {sorted(unknown)}")
    if len(found_ids) != count:
        raise Failure(f"{what}: {len(found_ids)} questions, expected {count}")


def same(label, got, want):
    if got == want:
        return
    if isinstance(got, set) and isinstance(want, set):
        raise Failure(f"{label}:\n    extra:   {sorted(got - want)}\n    missing: {sorted(want - got)}")
    raise Failure(f"{label}:\n    got:  {got!r}\n    want: {want!r}")


def close(label, got, want):
    if abs(float(got) - float(want)) > 0.001:
        raise Failure(f"{label}: got {got}, want {want}")


def main(run):
    """Runs a checker and turns a Failure into a clear message and exit status 1."""
    try:
        summary = run(sys.argv[1:])
    except Failure as failure:
        print(f"FAIL {Path(sys.argv[0]).name}: {failure}", file=sys.stderr)
        sys.exit(1)
    print(f"ok   {Path(sys.argv[0]).name}: {summary}", file=sys.stderr)
