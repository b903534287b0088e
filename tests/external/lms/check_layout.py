"""Compares the layout of coursepack's QTI package with what text2qti writes.

usage: check_layout.py OURS.qti.zip TEXT2QTI.zip

text2qti's package (from text2qti-reference.md) is the reference for: the zip's entries (names,
order, compression), the manifest's resources, the assessment's frame, and for each question
type text2qti knows (multiple choice, multiple answers, true/false, short answer, essay) the
item's elements and their structural attributes. text2qti has no matching question; those items
are compared with the shape Canvas's own export writes (SHAPE_MATCHING below). assessment_meta.xml
may hold only settings text2qti also writes.
"""

import zipfile
import xml.etree.ElementTree as ET

from common import Failure, main, same

# Attributes that shape how Canvas reads an element; identifiers and text are left out.
STRUCTURAL = {
    "rcardinality", "texttype", "continue", "action", "varname", "vartype", "minvalue",
    "maxvalue", "feedbacktype", "rshuffle", "fibtype", "type",
}
# Fixed names text2qti and Canvas use, which are part of the shape.
FIXED_IDENTS = {"response1", "answer1", "general_fb", "root_section", "correct_fb", "general_incorrect_fb"}

# Canvas's export of a matching question (text2qti cannot write one).
SHAPE_MATCHING = {
    "item",
    "item/itemmetadata/qtimetadata/qtimetadatafield/fieldentry",
    "item/itemmetadata/qtimetadata/qtimetadatafield/fieldlabel",
    "item/itemmetadata/qtimetadata/qtimetadatafield",
    "item/itemmetadata/qtimetadata",
    "item/itemmetadata",
    "item/presentation",
    "item/presentation/material",
    "item/presentation/material/mattext[texttype=text/html]",
    "item/presentation/response_lid",
    "item/presentation/response_lid/material",
    "item/presentation/response_lid/material/mattext[texttype=text/plain]",
    "item/presentation/response_lid/render_choice",
    "item/presentation/response_lid/render_choice/response_label",
    "item/presentation/response_lid/render_choice/response_label/material",
    "item/presentation/response_lid/render_choice/response_label/material/mattext",
    "item/resprocessing",
    "item/resprocessing/outcomes",
    "item/resprocessing/outcomes/decvar[maxvalue=100,minvalue=0,varname=SCORE,vartype=Decimal]",
    "item/resprocessing/respcondition",
    "item/resprocessing/respcondition/conditionvar",
    "item/resprocessing/respcondition/conditionvar/varequal",
    "item/resprocessing/respcondition/setvar[action=Add,varname=SCORE]",
}


def local(tag):
    return tag.split("}", 1)[-1]


def shape(element, path=""):
    """The set of element paths below `element`, each with its structural attributes."""
    name = local(element.tag)
    attrs = sorted(
        f"{local(k)}={v}"
        for k, v in element.attrib.items()
        if local(k) in STRUCTURAL or (local(k) == "ident" and v in FIXED_IDENTS)
        or (local(k) == "linkrefid" and v in FIXED_IDENTS)
    )
    here = f"{path}/{name}" if path else name
    label = here + (f"[{','.join(attrs)}]" if attrs else "")
    out = {label}
    for child in element:
        out |= shape(child, label)
    return out


def labels(item):
    return [f.text for f in item.iter() if local(f.tag) == "fieldlabel"]


def items_by_type(assessment):
    found = {}
    for item in assessment.iter():
        if local(item.tag) != "item":
            continue
        fields = {}
        for f in item.iter():
            if local(f.tag) == "qtimetadatafield":
                children = {local(c.tag): c.text for c in f}
                fields[children["fieldlabel"]] = children.get("fieldentry")
        has_feedback = any(local(c.tag) == "itemfeedback" for c in item)
        found.setdefault(fields["question_type"], []).append((has_feedback, item))
    return found


def pattern(name, ident):
    return name.replace(ident, "{id}")


def run(args):
    ours_path, reference_path = args
    ours, ref = zipfile.ZipFile(ours_path), zipfile.ZipFile(reference_path)
    ref_id = ref.namelist()[2].split("/")[0]
    ref_layout = [pattern(n, ref_id) for n in ref.namelist()]
    same("text2qti's layout (reference sanity)", ref_layout,
         ["imsmanifest.xml", "non_cc_assessments/", "{id}/assessment_meta.xml", "{id}/{id}.xml"])
    names = ours.namelist()
    same("first two entries", names[:2], ref_layout[:2])
    if len(names) % 2:
        raise Failure(f"entries do not come in meta/assessment pairs: {names}")
    for meta, body in zip(names[2::2], names[3::2]):
        ident = meta.split("/")[0]
        same(f"entries of {ident}", [pattern(meta, ident), pattern(body, ident)], ref_layout[2:])
    for info in ours.infolist():
        if not info.is_dir():
            same(f"{info.filename}: compression", info.compress_type, zipfile.ZIP_DEFLATED)
        same(f"{info.filename}: timestamp", info.date_time, (1980, 1, 1, 0, 0, 0))

    # The manifest: the same resources, in the same shape.
    ours_manifest = ET.fromstring(ours.read("imsmanifest.xml"))
    ref_manifest = ET.fromstring(ref.read("imsmanifest.xml"))
    same("manifest root namespace", ours_manifest.tag, ref_manifest.tag)
    resource_shapes = lambda m: {s for s in shape(m) if "/resources" in s}
    same("manifest resources", resource_shapes(ours_manifest), resource_shapes(ref_manifest))
    for field in ("schema", "schemaversion"):
        got = [e.text for e in ours_manifest.iter() if local(e.tag) == field]
        want = [e.text for e in ref_manifest.iter() if local(e.tag) == field]
        same(f"manifest {field}", got, want)

    # The assessment: the same frame, and each shared question type in the same shape.
    ident = names[2].split("/")[0]
    ours_assessment = ET.fromstring(ours.read(f"{ident}/{ident}.xml"))
    ref_assessment = ET.fromstring(ref.read(f"{ref_id}/{ref_id}.xml"))
    frame = lambda a: {s for s in shape(a) if "/item" not in s}
    same("assessment frame", frame(ours_assessment), frame(ref_assessment))
    ours_items, ref_items = {}, items_by_type(ref_assessment)
    for name in names[3::2]:
        for kind, found in items_by_type(ET.fromstring(ours.read(name))).items():
            ours_items.setdefault(kind, []).extend(found)
    compared = []
    for kind, [(_, ref_item)] in sorted(ref_items.items()):
        candidates = [item for feedback, item in ours_items.get(kind, []) if feedback]
        if not candidates:
            raise Failure(f"the package has no {kind} with feedback to compare")
        for item in candidates:
            same(f"{kind}: item shape", shape(item), shape(ref_item))
            same(f"{kind}: metadata fields", labels(item), labels(ref_item))
            same(f"{kind}: parts", [local(c.tag) for c in item][:3], [local(c.tag) for c in ref_item][:3])
        compared.append(f"{kind} ×{len(candidates)}")
    for feedback, item in ours_items.get("matching_question", []):
        # General feedback is written as for the other types (compared with text2qti above).
        got = {s for s in shape(item) if "itemfeedback" not in s and "continue=Yes" not in s}
        same("matching_question: item shape (Canvas export)", got, SHAPE_MATCHING)
    compared.append(f"matching_question ×{len(ours_items.get('matching_question', []))}")

    # assessment_meta.xml: only settings text2qti writes too, and the identifiers it needs.
    ref_meta = ET.fromstring(ref.read(f"{ref_id}/assessment_meta.xml"))
    allowed = {local(e.tag) for e in ref_meta.iter()} | {"time_limit"}
    for meta_name in names[2::2]:
        meta = ET.fromstring(ours.read(meta_name))
        extra = {local(e.tag) for e in meta.iter()} - allowed
        if extra:
            raise Failure(f"{meta_name}: settings text2qti does not write: {sorted(extra)}")
        same(f"{meta_name}: root", meta.tag, ref_meta.tag)
    return "zip layout, manifest, assessment frame and items match text2qti: " + ", ".join(compared)


main(run)
