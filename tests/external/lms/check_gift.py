"""Compares what gift-pegjs read from a GIFT export with the curriculum's source.

usage: check_gift.py COURSE_DIR PARSED.json STDERR [--form A]

Every question: its Moodle type, category, id and tags, prompt, each answer (text, right or
wrong, weight), matching pairs, general feedback. Then the warnings: every question worth more
than 1 point and every essay is named, since GIFT carries neither points nor rubrics.
"""

import json
import tomllib
from pathlib import Path

from common import Failure, check_selection, close, credit, load, main, plain, same, selection, text

GIFT_TYPE = {
    "single-choice": "MC",
    "multiple-choice": "MC",
    "true-false": "TF",
    "short-answer": "Short",
    "matching": "Matching",
    "essay": "Essay",
}


def run(args):
    course_dir, parsed_path, stderr_path = args[:3]
    form = args[4] if len(args) > 4 and args[3] == "--form" else None
    course, questions = load(course_dir)
    pool, count = selection(course, questions, form)
    parsed = json.loads(open(parsed_path, encoding="utf-8").read())
    category = None
    seen = []
    for q in parsed:
        if q["type"] == "Category":
            category = q["title"]
            continue
        qid = q.get("id")
        if qid not in pool:
            raise Failure(f"question {q.get('title')!r} has no known [id:…] ({qid!r})")
        e = pool[qid]
        seen.append(qid)
        where = f"{qid} in {parsed_path}"
        group = f"exam/form-{form.lower()}" if form else f"{e['bank']}/{e['module']}"
        same(f"{where}: category", category, f"$course$/top/{course['id']}/{group}")
        if not (q["title"] == qid or (form and q["title"].endswith(" " + qid))):
            raise Failure(f"{where}: title {q['title']!r}")
        same(f"{where}: type", q["type"], GIFT_TYPE[e["type"]])
        same(f"{where}: tags", q["tags"], [e["bank"], *e["objectives"]])
        same(f"{where}: stem format", q["stem"]["format"], "html")
        same(f"{where}: prompt", text(q["stem"]["text"]), e["prompt"])
        feedback = q.get("globalFeedback")
        same(f"{where}: general feedback", text(feedback["text"]) if feedback else None, e["feedback"])
        check_answers(where, q, e)
    check_selection(seen, pool, count, parsed_path)
    check_warnings(course_dir, stderr_path, [pool[i] for i in seen])
    return f"{len(seen)} questions of {course['id']} match the source"


def check_answers(where, q, e):
    kind = e["type"]
    if kind in ("single-choice", "multiple-choice"):
        got = sorted((text(c["text"]["text"]), c["isCorrect"]) for c in q["choices"])
        if kind == "single-choice":
            same(f"{where}: choices", got, e["choices"])
            for c in q["choices"]:
                same(f"{where}: weight", c["weight"], None)
        else:
            same(f"{where}: choices", sorted((t, False) for t, _ in e["choices"]), got)
            want = credit(e)
            for c in q["choices"]:
                close(f"{where}: weight of {c['text']['text']!r}", c["weight"], want[text(c["text"]["text"])])
            if sum(c["weight"] for c in q["choices"] if c["weight"] > 0) < 99.99:
                raise Failure(f"{where}: correct choices do not add up to 100%")
    elif kind == "true-false":
        same(f"{where}: answer", q["isTrue"], e["answer"])
    elif kind == "short-answer":
        same(f"{where}: accepted", [plain(c["text"]["text"]) for c in q["choices"]], e["accepted"])
        for c in q["choices"]:
            same(f"{where}: every accepted answer is right", c["isCorrect"], True)
    elif kind == "matching":
        got = sorted((text(p["subquestion"]["text"]), plain(p["subanswer"])) for p in q["matchPairs"])
        same(f"{where}: pairs", got, e["pairs"])


def check_warnings(course_dir, stderr_path, exported):
    """Every loss is a W034 diagnostic whose first line names the questions after its last
    colon, unless the course allows lms-cannot-carry in [lints]: then there is none."""
    named = {}
    lines = open(stderr_path, encoding="utf-8").read().splitlines()
    for line in lines:
        if not line.startswith("warning[W034]: "):
            continue
        message, _, ids = line.rpartition(": ")
        named.setdefault(message, []).extend(ids.split(", "))
    lints = tomllib.loads((Path(course_dir) / "course.toml").read_text("utf-8")).get("lints", {})
    if lints.get("lms-cannot-carry") == "allow" or lints.get("W034") == "allow":
        if named:
            raise Failure(f"the course allows lms-cannot-carry, yet: {sorted(named)}")
        return
    points = named.get(
        "warning[W034]: GIFT: points are not carried, so these import worth 1 point "
        "(set the mark in Moodle, or import the Moodle XML file)", [])
    rubric = named.get(
        "warning[W034]: GIFT: no place for an essay's rubric, so these import without it "
        "(grade with the instructor key, or import the Moodle XML file)", [])
    for e in exported:
        if e["points"] != 1 and f"{e['id']} ({e['points']} points)" not in points:
            raise Failure(f"no warning names {e['id']}, worth {e['points']} points")
        if e["type"] == "essay" and e["id"] not in rubric:
            raise Failure(f"no warning names the essay {e['id']}, whose rubric is lost")


main(run)
