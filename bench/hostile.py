#!/usr/bin/env python3
"""Writes one hostile curriculum per input shape of issue 16, for bench/hostile.sh.
Usage: hostile.py OUT_DIR; prints one directory name per line."""
import shutil, sys
from pathlib import Path

out = Path(sys.argv[1])
shutil.rmtree(out, ignore_errors=True)
COURSE = 'id = "hostile"\ntitle = "Hostile"\nversion = "1.0.0"\nmodules = [{mods}]\n'
HEAD = 'title = "M"\n\n[[objectives]]\nid = "{m}-O"\ntext = "Do it."\n\n'
SECTION = '[[sections]]\ntitle = "S"\nminutes = 10\nobjectives = ["{m}-O"]\nbody = """\n{body}\n"""\n\n'
QUESTION = '[[questions]]\nid = "{m}-Q{i}"\ntype = "true-false"\nobjectives = ["{m}-O"]\nprompt = "Claim {i}."\nanswer = true\n\n'


def course(name, modules):
    d = out / name
    (d / "modules").mkdir(parents=True)
    (d / "course.toml").write_text(COURSE.format(mods=", ".join(f'"{m}"' for m in modules)))
    for m, text in modules.items():
        (d / "modules" / f"{m}.toml").write_text(text)
    print(name)


def module(m, body="Text.", extra=""):
    return HEAD.format(m=m) + SECTION.format(m=m, body=body) + extra


# A 100 MB module: refused before it is read (the limit is 8 MiB).
big = module("big") + "# " + "x" * (100 * 1024 * 1024) + "\n"
course("module-100mb", {"big": big})
# 100,000 questions: 20 modules of 5,000 (each module stays under the file limit); refused,
# past the limit of 1,000 questions per module.
course("questions-100k", {f"q{j}": module(f"q{j}") + "".join(QUESTION.format(m=f"q{j}", i=i) for i in range(5000)) for j in range(20)})
# 70,000 questions in 100 modules of 700: each module within its limit, the course past its.
course("questions-70k", {f"q{j}": module(f"q{j}") + "".join(QUESTION.format(m=f"q{j}", i=i) for i in range(700)) for j in range(100)})
# 60,000 questions in 60 modules of 1,000: the most a course may hold; it builds.
course("questions-60k", {f"q{j}": module(f"q{j}") + "".join(QUESTION.format(m=f"q{j}", i=i) for i in range(1000)) for j in range(60)})
# 10,000-deep lists and block quotes in one body.
course("nested-10k", {"deep": module("deep", body="- " * 10000 + "x\n\n" + ">" * 10000 + " y\n\n" + "*" * 10000 + "z" + "*" * 10000)})
# 1,000,000-item arrays.
course("array-1m", {"arr": 'materials = [' + ", ".join(['"a"'] * 1_000_000) + ']\n' + module("arr")})
# 3,000 references in one array (none of them exists: 3,000 diagnostics).
refs = ", ".join(f'"NOPE-{i}"' for i in range(3000))
course("refs-3k", {"refs": module("refs").replace('objectives = ["refs-O"]', f"objectives = [{refs}]", 1)})
# Many diagnostics in one big file: 10,000 misspelt keys in a 1.4 MB module.
typos = "".join(f'[[sections]]\ntitel = "S{i}"\nminutes = 1\nbody = """{"lorem ipsum " * 8}"""\n\n' for i in range(10000))
course("typos-10k", {"typos": HEAD.format(m="typos") + typos})
