"""Compares a Moodle XML export, read with Python's XML parser, with the curriculum's source.

usage: check_moodle.py COURSE_DIR FILE.moodle.xml [--form A]

Every question: its Moodle type, category, name and idnumber, prompt, general feedback, points
(defaultgrade), each answer with its fraction, matching pairs, essay grader information, tags.
"""

import xml.etree.ElementTree as ET

from common import Failure, check_selection, close, credit, load, main, plain, same, selection, text

MOODLE_TYPE = {
    "single-choice": "multichoice",
    "multiple-choice": "multichoice",
    "true-false": "truefalse",
    "short-answer": "shortanswer",
    "matching": "matching",
    "essay": "essay",
}


def field(q, path):
    """The text of `path/text`, or None when the element is absent."""
    node = q.find(f"{path}/text")
    return None if node is None else (node.text or "")


def run(args):
    course_dir, xml_path = args[:2]
    form = args[3] if len(args) > 3 and args[2] == "--form" else None
    course, questions = load(course_dir)
    pool, count = selection(course, questions, form)
    root = ET.parse(xml_path).getroot()
    same("root element", root.tag, "quiz")
    category = None
    seen = []
    for q in root.findall("question"):
        if q.get("type") == "category":
            category = field(q, "category")
            continue
        qid = q.findtext("idnumber")
        if qid not in pool:
            raise Failure(f"question {field(q, 'name')!r} has an unknown idnumber {qid!r}")
        e = pool[qid]
        seen.append(qid)
        where = f"{qid} in {xml_path}"
        group = f"exam/form-{form.lower()}" if form else f"{e['bank']}/{e['module']}"
        same(f"{where}: category", category, f"$course$/top/{course['id']}/{group}")
        name = field(q, "name")
        if not (name == qid or (form and name.endswith(" " + qid))):
            raise Failure(f"{where}: name {name!r}")
        same(f"{where}: type", q.get("type"), MOODLE_TYPE[e["type"]])
        same(f"{where}: questiontext format", q.find("questiontext").get("format"), "html")
        same(f"{where}: prompt", text(field(q, "questiontext")), e["prompt"])
        same(f"{where}: general feedback", text(field(q, "generalfeedback")) or None, e["feedback"])
        same(f"{where}: points", q.findtext("defaultgrade"), str(e["points"]))
        tags = [t.findtext("text") for t in q.findall("tags/tag")]
        same(f"{where}: tags", tags, [e["bank"], *e["objectives"]])
        check_answers(where, q, e)
    check_selection(seen, pool, count, xml_path)
    return f"{len(seen)} questions of {course['id']} match the source"


def check_answers(where, q, e):
    kind = e["type"]
    answers = q.findall("answer")
    if kind in ("single-choice", "multiple-choice"):
        same(f"{where}: single", q.findtext("single"), "true" if kind == "single-choice" else "false")
        got = sorted((text(a.findtext("text")), float(a.get("fraction")) > 0) for a in answers)
        same(f"{where}: choices", got, e["choices"])
        want = credit(e)
        for a in answers:
            close(f"{where}: fraction of {a.findtext('text')!r}", a.get("fraction"), want[text(a.findtext("text"))])
    elif kind == "true-false":
        right = [a.findtext("text") for a in answers if a.get("fraction") == "100"]
        same(f"{where}: answer", right, ["true" if e["answer"] else "false"])
        same(f"{where}: answers", sorted(a.findtext("text") for a in answers), ["false", "true"])
    elif kind == "short-answer":
        same(f"{where}: accepted", [plain(a.findtext("text")) for a in answers], e["accepted"])
        same(f"{where}: fractions", {a.get("fraction") for a in answers}, {"100"})
    elif kind == "matching":
        got = sorted(
            (text(s.findtext("text")), plain(s.findtext("answer/text")))
            for s in q.findall("subquestion")
        )
        same(f"{where}: pairs", got, e["pairs"])
    elif kind == "essay":
        info = text(field(q, "graderinfo"))
        if e["rubric"] not in info:
            raise Failure(f"{where}: grader information lacks the rubric:\n  {info}")
        if e["model"] and e["model"] not in info:
            raise Failure(f"{where}: grader information lacks the model answer:\n  {info}")


main(run)
