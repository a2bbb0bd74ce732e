#!/usr/bin/env python3
"""The towns' side of the survey round trip, for scripts/ci/survey_roundtrip.sh.

  fill SURVEY_DIR FILLED_DIR ANSWERS.json
      Types answers into every town's 照会 workbook the way a person would (openpyxl):
      a declared status, a longer summary (some with a line break, some with & < >),
      another grade and direction, KPI actuals and budget amounts as numbers, one amount
      typed as text with a thousands comma, one empty amount filled with a decimal.
      About every second answer row is answered; the rest keep the registry's value.
      ANSWERS.json: {town: {key: new value as the registry will read it}}.
  survived SURVEY_DIR SAVED_DIR
      After LibreOffice opened and saved each workbook: the hidden data sheet (format,
      digest, town, every key and original value), the hidden key column, the answer
      rows' keys, the sheet protection, the unlocked answer cells and the drop-downs
      are all still there.
  verify BEFORE_DIR AFTER_DIR ANSWERS.json
      BEFORE_DIR: the surveys of the registry before collect; AFTER_DIR: after. Every
      value the survey shows (its hidden originals) is the old one, except the answered
      ones, which read exactly as answered.
  textdiff OLD NEW ANSWERS.json
      The registry text changed only on lines that carry an answered value.
"""
import difflib
import re
import json
import pathlib
import sys

import openpyxl

ANSWER, DATA = "回答", "_shiryo"
FIRST_ANSWER_ROW, FIRST_DATA_ROW = 4, 11  # one-based, as openpyxl counts


def originals(book):
    """{key: original value} of the hidden sheet, and its header cells."""
    data = book[DATA]
    values = {}
    for row in data.iter_rows(min_row=FIRST_DATA_ROW, max_col=2, values_only=True):
        if row[0]:
            values[row[0]] = "" if row[1] is None else str(row[1])
    head = [data.cell(r, 2).value for r in (1, 2, 3)]
    return head, values


def number_text(x):
    """A number as the registry reads it back (2708, 12.5)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def lists(book):
    """The declared statuses, grades and directions (columns D, E, F of the data sheet)."""
    data = book[DATA]
    out = []
    for col in (4, 5, 6):
        values = [data.cell(r, col).value for r in range(1, 50)]
        out.append([v for v in values if v is not None])
    return out


def next_of(values, current):
    if not values:
        return None
    if current in values:
        return values[(values.index(current) + 1) % len(values)]
    return values[0]


def fill(survey_dir, filled_dir, answers_path):
    survey_dir, filled_dir = pathlib.Path(survey_dir), pathlib.Path(filled_dir)
    filled_dir.mkdir(parents=True, exist_ok=True)
    answers = {}
    for path in sorted(survey_dir.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        town = book[DATA].cell(3, 2).value
        statuses, grades, directions = lists(book)
        sheet = book[ANSWER]
        mine = answers.setdefault(town, {})
        n = 0
        comma_done = decimal_done = False
        for r in range(FIRST_ANSWER_ROW, sheet.max_row + 1):
            key = sheet.cell(r, 1).value
            if not key:
                continue
            n += 1
            cell = sheet.cell(r, 6)
            old = cell.value
            field = key.split("/", 1)[1]
            if field.startswith("budget/") and old is None and not decimal_done:
                cell.value = 12.5  # an amount the registry did not have yet
                mine[key] = "12.5"
                decimal_done = True
                continue
            if n % 2:
                continue  # unanswered: the registry keeps its value
            if field == "status":
                new = next_of(statuses, old)
            elif field == "summary":
                extra = f"（{town}回答 & <確認>）" if n % 4 else f"\n令和7年度は{town}も参加"
                new = (old or "") + extra
            elif field == "grade":
                new = next_of(grades, old)
            elif field == "direction":
                new = next_of(directions, old)
            elif field.startswith("kpi/"):
                try:
                    new = float(old) + 100
                except (TypeError, ValueError):
                    continue  # a word (達成 …): left alone
            elif field.startswith("budget/"):
                base = float(old or 0)
                if not comma_done and base + 1000 >= 1000:
                    cell.value = f"{int(base) + 1000:,}"  # typed as text: 1,234
                    mine[key] = number_text(int(base) + 1000)
                    comma_done = True
                    continue
                new = base + 1
            else:
                continue
            if new is None:
                continue
            cell.value = new
            mine[key] = number_text(new) if isinstance(new, float) else new
        book.save(filled_dir / path.name)
    pathlib.Path(answers_path).write_text(json.dumps(answers, ensure_ascii=False, indent=1))
    total = sum(len(a) for a in answers.values())
    print(f"filled {total} answers in {len(answers)} workbooks")


def fail(message):
    print(f"survey_roundtrip: {message}", file=sys.stderr)
    sys.exit(1)


def survived(survey_dir, saved_dir):
    survey_dir, saved_dir = pathlib.Path(survey_dir), pathlib.Path(saved_dir)
    files = sorted(survey_dir.glob("*.xlsx"))
    if not files:
        fail(f"no surveys in {survey_dir}")
    for path in files:
        saved = saved_dir / path.name
        if not saved.exists():
            fail(f"LibreOffice wrote no {saved}")
        a, b = openpyxl.load_workbook(path), openpyxl.load_workbook(saved)
        name = saved.name
        if originals(a) != originals(b):
            fail(f"{name}: the hidden data sheet changed in LibreOffice's save")
        # LibreOffice has no "very hidden": it saves the sheet as hidden.
        if b[DATA].sheet_state not in ("hidden", "veryHidden"):
            fail(f"{name}: {DATA} is visible after the save ({b[DATA].sheet_state})")
        sa, sb = a[ANSWER], b[ANSWER]
        if not sb.column_dimensions["A"].hidden:
            fail(f"{name}: the key column A is no longer hidden")
        for sheet in (sb, b[DATA]):
            if not sheet.protection.sheet:
                fail(f"{name}: {sheet.title} lost its protection")
        keys = lambda s: [s.cell(r, 1).value for r in range(FIRST_ANSWER_ROW, s.max_row + 1)]
        if [k for k in keys(sa) if k] != [k for k in keys(sb) if k]:
            fail(f"{name}: the answer rows' keys changed")
        for r in range(FIRST_ANSWER_ROW, sa.max_row + 1):
            if not sa.cell(r, 1).value:
                continue
            if sb.cell(r, 6).protection.locked:
                fail(f"{name}: answer cell F{r} is locked after the save")
            if not sb.cell(r, 5).protection.locked:
                fail(f"{name}: registered value E{r} is unlocked after the save")
        dv = lambda s: sorted(str(v.sqref) for v in s.data_validations.dataValidation)
        if sorted(" ".join(dv(sa)).split()) != sorted(" ".join(dv(sb)).split()):
            fail(f"{name}: the drop-downs and number checks changed: {dv(sa)} → {dv(sb)}")
    print(f"{len(files)} workbooks kept digest, keys, hidden sheet, protection, validation")


def verify(before_dir, after_dir, answers_path):
    answers = json.loads(pathlib.Path(answers_path).read_text())
    checked = 0
    for path in sorted(pathlib.Path(before_dir).glob("*.xlsx")):
        (_, _, town), old = originals(openpyxl.load_workbook(path))
        _, new = originals(openpyxl.load_workbook(pathlib.Path(after_dir) / path.name))
        want = dict(old)
        want.update(answers.get(town, {}))
        if set(new) != set(want):
            fail(f"{path.name}: other keys after collect: {sorted(set(new) ^ set(want))}")
        for key in sorted(want):
            same = new[key] == want[key]
            try:  # 2708 and 2708.0 are one amount
                same = same or float(new[key]) == float(want[key])
            except ValueError:
                pass
            if not same:
                fail(f"{path.name}: {key} reads {new[key]!r}, expected {want[key]!r}")
            checked += 1
    print(f"{checked} values read back: only the answered ones changed, each as answered")


def textdiff(old_path, new_path, answers_path):
    answers = json.loads(pathlib.Path(answers_path).read_text())
    # A value with a line break may be written as a block: each of its lines counts.
    values = {line for town in answers.values() for v in town.values()
              for line in v.split("\n") if line}
    old = pathlib.Path(old_path).read_text().splitlines()
    new = pathlib.Path(new_path).read_text().splitlines()
    added = [l[1:] for l in difflib.unified_diff(old, new, n=0, lineterm="")
             if l.startswith("+") and not l.startswith("+++")]
    removed = [l for l in difflib.unified_diff(old, new, n=0, lineterm="")
               if l.startswith("-") and not l.startswith("---")]
    opener = re.compile(r"^\s*[a-z_]+: [|>][-+]?$")
    stray = [l for l in added if not any(v in l for v in values) and not opener.match(l)]
    if stray:
        fail("lines changed that carry no answered value:\n" + "\n".join(stray))
    count = sum(len(t) for t in answers.values())
    if len(removed) > count:
        fail(f"{len(removed)} lines removed for {count} answers")
    print(f"registry text: {len(removed)} lines replaced, {len(added)} written, all answered values")


if __name__ == "__main__":
    commands = {"fill": fill, "survived": survived, "verify": verify, "textdiff": textdiff}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        fail("usage: survey_roundtrip.py fill|survived|verify|textdiff ARGS…")
    commands[sys.argv[1]](*sys.argv[2:])
