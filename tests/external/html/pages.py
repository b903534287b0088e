"""Page-break checks on PDFs Chromium printed: every module and every role card starts a page,
no navigation text reaches paper. Usage: python3 pages.py <pdf dir> <build dir>"""
import re, subprocess, sys, html as htmllib
from pathlib import Path

pdf_dir, build = Path(sys.argv[1]), Path(sys.argv[2])
failures = []

def pages_of(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [p for p in text.split("\f")]

def first_line(page):
    return next((l.strip() for l in page.splitlines() if l.strip()), "")

def headings(html_file, pattern):
    source = html_file.read_text()
    return [htmllib.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(pattern, source)]

# The handbook: each module heading opens a page.
handbook = pages_of(pdf_dir / "handbook.pdf")
modules = headings(build / "learner/handbook.html", r'<h2 id="[^"]+-h">(.*?)</h2>')
starts = [first_line(p) for p in handbook]
for title in modules:
    if not any(s.startswith(title[:60]) for s in starts):
        failures.append(f"handbook: module '{title}' does not start a page")
print(f"handbook: {len(handbook)} pages; checked that each of {len(modules)} modules starts a page")

# The activity packet: each role card, and the evaluator checklist, on a page of its own.
activity_html = sorted((build / "instructor/activities").glob("*.html"))[0]
roles = headings(activity_html, r'<section class="role-card"[^>]*>\s*<p class="audience">[^<]*</p>\s*<h2 id="[^"]+">(.*?)</h2>')
packet = pages_of(pdf_dir / "activity.pdf")
# The card label is set in capitals by the stylesheet.
card_pages = [p for p in packet if first_line(p).upper().startswith(("ROLE CARD", "EVALUATOR"))]
if len(card_pages) != len(roles):
    failures.append(f"activity packet: {len(roles)} cards but {len(card_pages)} pages start with a card")
for page in packet:
    if page.upper().count("ROLE CARD ·") + page.upper().count("EVALUATOR ·") > 1:
        failures.append("activity packet: two cards share a page")
print(f"activity packet: {len(packet)} pages; checked that each of {len(roles)} cards has a page of its own")

# The activity page's navigation bar links to the instructor guide; paper must not show it.
if "Instructor guide" in "".join(packet):
    failures.append("activity.pdf: the navigation bar was printed")

# Scored evaluation forms: each learner's form starts a page and fits on it; the roster follows.
evaluation_dir = build / "instructor/evaluations"
if evaluation_dir.is_dir():
    evaluation_html = sorted(evaluation_dir.glob("*.html"))[0]
    forms = evaluation_html.read_text().count('<section class="eval-form"')
    sheets = pages_of(pdf_dir / "evaluation.pdf")
    # The form label is set in capitals by the stylesheet.
    starts = [i for i, p in enumerate(sheets) if first_line(p).upper().startswith("EVALUATION FORM ·")]
    if len(starts) != forms:
        failures.append(f"evaluation forms: {forms} forms but {len(starts)} pages start with one")
    if starts != list(range(starts[0], starts[0] + len(starts))) if starts else True:
        failures.append("evaluation forms: a form runs onto a second page")
    if starts and not first_line(sheets[starts[-1] + 1]).upper().startswith("CLASS ROSTER"):
        failures.append("evaluation forms: the last form runs on, or the roster does not start a page")
    for page in sheets:
        if page.upper().count("EVALUATION FORM ·") > 1:
            failures.append("evaluation forms: two forms share a page")
    for field in ["Learner name", "Learner ID", "Run number", "Evaluator signature", "Learner signature", "Retest date"]:
        if field not in sheets[starts[0]] if starts else True:
            failures.append(f"evaluation form: '{field}' is not on the form's page")
    print(f"evaluation forms: {len(sheets)} pages; checked that each of {forms} forms has a page of its own")

for name in ["handbook", "activity", "guide"]:
    text = "\f".join(pages_of(pdf_dir / f"{name}.pdf"))
    for nav in ["Skip to content", "SKIP TO CONTENT"]:
        if nav in text:
            failures.append(f"{name}.pdf: navigation text '{nav}' printed")

for f in failures:
    print("FAIL", f, file=sys.stderr)
sys.exit(1 if failures else 0)
