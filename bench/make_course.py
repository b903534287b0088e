#!/usr/bin/env python3
"""Writes a large synthetic curriculum for the build benchmark: the bundled modules copied N
times over with their ids renamed. Usage: make_course.py N OUT_DIR"""
import re, shutil, sys, tomllib
from pathlib import Path

n, out = int(sys.argv[1]), Path(sys.argv[2])
src = Path(__file__).resolve().parent.parent / "curricula/police-community-relations"
course = tomllib.loads((src / "course.toml").read_text())
templates = [(m, (src / "modules" / f"{m}.toml").read_text()) for m in course["modules"]]
shutil.rmtree(out, ignore_errors=True)
(out / "modules").mkdir(parents=True)
ids = []
for i in range(n):
    name, text = templates[i % len(templates)]
    module_id = f"{name}-{i:04d}"
    # Objective, activity and question ids are course-wide: give every copy its own.
    text = re.sub(r'"([A-Z]{2,3})-(A?Q?X?\d+)"', lambda m: f'"{m.group(1)}{i:04d}-{m.group(2)}"', text)
    (out / "modules" / f"{module_id}.toml").write_text(text)
    ids.append(module_id)
course_toml = (src / "course.toml").read_text()
course_toml = re.sub(r"modules = \[[^\]]*\]", "modules = [\n" + "".join(f'  "{i}",\n' for i in ids) + "]", course_toml, flags=re.S)
(out / "course.toml").write_text(course_toml)
size = sum(p.stat().st_size for p in out.rglob("*.toml"))
print(f"{n} modules, {size / 1e6:.1f} MB of source in {out}")
