"""Compares a QTI 1.2 package, read with Python's zip and XML parsers, with the curriculum's source.

usage: check_qti.py COURSE_DIR FILE.qti.zip [--form A]

The package: every file the manifest names exists and every file is named; each assessment's
identifier is the same in the manifest, its folder and file names, the assessment XML and
assessment_meta.xml (Canvas silently drops the settings otherwise); meta points add up. Every
question: its Canvas type, points, prompt, choices and which are correct, accepted answers,
matching pairs, general feedback.
"""

import zipfile
import xml.etree.ElementTree as ET

from common import Failure, check_selection, load, main, plain, same, selection, text

CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CANVAS = "{http://canvas.instructure.com/xsd/cccv1p0}"
META_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
CANVAS_TYPE = {
    "single-choice": "multiple_choice_question",
    "multiple-choice": "multiple_answers_question",
    "true-false": "true_false_question",
    "short-answer": "short_answer_question",
    "matching": "matching_question",
    "essay": "essay_question",
}


def run(args):
    course_dir, zip_path = args[:2]
    form = args[3] if len(args) > 3 and args[2] == "--form" else None
    course, questions = load(course_dir)
    pool, count = selection(course, questions, form)
    package = zipfile.ZipFile(zip_path)
    names = package.namelist()
    same("first entry", names[0], "imsmanifest.xml")
    if "non_cc_assessments/" not in names:
        raise Failure("no non_cc_assessments/ folder (text2qti and Canvas write one)")
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    named = {"imsmanifest.xml", "non_cc_assessments/"}
    seen = []
    for ident, resource in resources.items():
        if resource.get("type") != "imsqti_xmlv1p2":
            continue
        href = resource.find(f"{CP}file").get("href")
        same(f"{ident}: assessment file", href, f"{ident}/{ident}.xml")
        meta_id = resource.find(f"{CP}dependency").get("identifierref")
        meta_resource = resources.get(meta_id)
        if meta_resource is None:
            raise Failure(f"{ident}: dependency {meta_id!r} is not a resource")
        same(f"{meta_id}: type", meta_resource.get("type"), META_TYPE)
        meta_href = meta_resource.find(f"{CP}file").get("href")
        same(f"{meta_id}: meta file", meta_href, f"{ident}/assessment_meta.xml")
        same(f"{meta_id}: href", meta_resource.get("href"), meta_href)
        for path in (href, meta_href):
            if path not in names:
                raise Failure(f"the manifest names {path}, which the zip lacks")
            named.add(path)
        assessment = ET.fromstring(package.read(href)).find(f"{QTI}assessment")
        same(f"{href}: assessment ident", assessment.get("ident"), ident)
        meta = ET.fromstring(package.read(meta_href))
        same(f"{meta_href}: quiz identifier", meta.get("identifier"), ident)
        ref = meta.findtext(f"{CANVAS}assignment/{CANVAS}quiz_identifierref")
        if ref is not None:
            same(f"{meta_href}: assignment quiz_identifierref", ref, ident)
        same(f"{meta_href}: title", meta.findtext(f"{CANVAS}title"), assessment.get("title"))
        points = 0
        for item in assessment.iter(f"{QTI}item"):
            qid = item.get("title").split(" ")[-1]
            if qid not in pool:
                raise Failure(f"{href}: item {item.get('title')!r} is not a selected question")
            seen.append(qid)
            points += check_item(f"{qid} in {href}", item, pool[qid])
        same(f"{meta_href}: points_possible", float(meta.findtext(f"{CANVAS}points_possible")), float(points))
    unnamed = set(names) - named
    if unnamed:
        raise Failure(f"files the manifest does not name: {sorted(unnamed)}")
    check_selection(seen, pool, count, zip_path)
    return f"{len(seen)} questions of {course['id']} in {len(named) // 2 - 1} assessment(s) match the source"


def fields(item):
    return {
        f.findtext(f"{QTI}fieldlabel"): f.findtext(f"{QTI}fieldentry") or ""
        for f in item.iter(f"{QTI}qtimetadatafield")
    }


def check_item(where, item, e):
    meta = fields(item)
    same(f"{where}: question_type", meta["question_type"], CANVAS_TYPE[e["type"]])
    same(f"{where}: points_possible", float(meta["points_possible"]), float(e["points"]))
    presentation = item.find(f"{QTI}presentation")
    prompt = presentation.find(f"{QTI}material/{QTI}mattext")
    same(f"{where}: prompt texttype", prompt.get("texttype"), "text/html")
    same(f"{where}: prompt", text(prompt.text), e["prompt"])
    feedback = {
        f.get("ident"): f.find(f".//{QTI}mattext").text for f in item.findall(f"{QTI}itemfeedback")
    }
    same(f"{where}: general feedback", text(feedback.get("general_fb")), e["feedback"])
    conditions = item.findall(f"{QTI}resprocessing/{QTI}respcondition")
    scoring = [c for c in conditions if c.find(f"{QTI}setvar") is not None]
    kind = e["type"]
    if kind in ("single-choice", "multiple-choice", "true-false"):
        labels = {
            l.get("ident"): text(l.find(f".//{QTI}mattext").text)
            for l in presentation.iter(f"{QTI}response_label")
        }
        same(f"{where}: original_answer_ids", meta["original_answer_ids"].split(","), list(labels))
        (condition,) = scoring
        same(f"{where}: score", (condition.find(f"{QTI}setvar").get("action"), condition.findtext(f"{QTI}setvar")), ("Set", "100"))
        if kind == "multiple-choice":
            test = condition.find(f"{QTI}conditionvar/{QTI}and")
            right = {v.text for v in test.findall(f"{QTI}varequal")}
            wrong = {v.text for v in test.findall(f"{QTI}not/{QTI}varequal")}
            same(f"{where}: every choice is scored", right | wrong, set(labels))
        else:
            right = {v.text for v in condition.findall(f"{QTI}conditionvar/{QTI}varequal")}
        if kind == "true-false":
            same(f"{where}: choices", sorted(labels.values()), ["False", "True"])
            same(f"{where}: answer", [labels[i] for i in right], ["True" if e["answer"] else "False"])
        else:
            got = sorted((t, i in right) for i, t in labels.items())
            same(f"{where}: choices", got, e["choices"])
    elif kind == "short-answer":
        (condition,) = scoring
        accepted = [plain(v.text) for v in condition.findall(f"{QTI}conditionvar/{QTI}varequal")]
        same(f"{where}: accepted", accepted, e["accepted"])
    elif kind == "matching":
        lids = presentation.findall(f"{QTI}response_lid")
        rights = {
            l.get("ident"): plain(l.find(f".//{QTI}mattext").text)
            for l in lids[0].iter(f"{QTI}response_label")
        }
        pick = {}
        for c in scoring:
            v = c.find(f"{QTI}conditionvar/{QTI}varequal")
            pick[v.get("respident")] = v.text
        got = sorted(
            (text(l.find(f"{QTI}material/{QTI}mattext").text), rights[pick[l.get("ident")]])
            for l in lids
        )
        same(f"{where}: pairs", got, e["pairs"])
        total = sum(float(c.findtext(f"{QTI}setvar")) for c in scoring)
        if not 99.9 <= total <= 100.0:
            raise Failure(f"{where}: pair scores add up to {total}")
    elif kind == "essay":
        same(f"{where}: scored by hand", scoring, [])
    return e["points"]


main(run)
