"""The judged briefs (``tests/data/brief_judged*.json``) and what each file was judged
with: how many briefs (``SIZES``) and how many its reader found unfaithful
(``UNFAITHFUL``). Add a newly judged file to both. Read by ``test_judged_set.py`` and
``test_judged_checks.py``."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
#: Every judged file: the first set (commit 0bdcbce) and the fresh held-out samples
#: (9a84df7, de8e3c8, a5be8ee, c61fe83, fbffc2a, …). Items read while building the pipeline
#: moved to dev: the whole third file (fixing usefulness); the fourth's two unfaithful items
#: (fixing the claim check), then the whole fourth file (usefulness, s5 round 2); the fifth's
#: unfaithful item (claim check), then the whole fifth file (usefulness, s6 round 3); the
#: sixth's unfaithful item (claim check: numbered items), then the whole sixth file
#: (usefulness, s7 round 4); the unfaithful items of the seventh to tenth files (claim
#: check: "this" on its own, elliptical conditions, "as such", a clause-final "it", a
#: vocative's "you", an imperative's consequence, causal connectives, "the first part", a
#: bare item number, a restricting word in brackets); the unfaithful items of the eleventh
#: and twelfth files (claim check: "such a", an object "them", additive connectives, a
#: condition kept without the clause it governs, a table announced with its first cell);
#: the unfaithful items of the thirteenth (a pair "we both" without the sentence naming it,
#: a line the splitter cut joined to its rest with a stop) and the fourteenth ("among
#: other things" cut, a request's second part cut, a line left hanging on a comma, "this
#: call" without the sentence that introduced the call); the fifteenth's ten were read and
#: moved to dev (a relative clause cut short, an infinitive's subject cut), and so were the
#: sixteenth's three (a concession cut) and the seventeenth's thirteen (read to decide
#: whether compressions stay on by default: they do not, docs/quality.md), and the
#: eighteenth's three, the nineteenth's five, the twentieth's three, the twenty-first's
#: three, the twenty-second's three, the twenty-third's three, the
#: twenty-fourth's three, the twenty-fifth's five, the twenty-sixth's three, the
#: twenty-seventh's three, the twenty-eighth's two, the twenty-ninth's one, the
#: thirty-first's five, the thirty-second's one, the thirty-third's four, the
#: thirty-fourth's three, the thirty-fifth's four, the thirty-sixth's five, the
#: thirty-seventh's three, the thirty-eighth's seven, the thirty-ninth's three, the
#: fortieth's two, the forty-first's two, the forty-second's three, the forty-third's
#: five, the forty-fourth's two, the forty-fifth's three, the forty-sixth's two and the
#: forty-eighth's three (the forty-seventh had none), the twenty-seven of the forty-ninth
#: to fifty-sixth, and the fifty-seventh's three. The fifty-eighth (SpamAssassin ham, a new
#: source) had the 35 items whose verdict was not faithful-and-useful read for their
#: failure families.
JUDGED = sorted(DATA.glob("brief_judged*.json"))
#: How many briefs each file was judged with (items never leave a file, they move to dev).
SIZES = {
    "brief_judged.json": 166,
    "brief_judged_2.json": 70,
    "brief_judged_3.json": 70,
    "brief_judged_4.json": 70,
    "brief_judged_5.json": 70,
    "brief_judged_6.json": 70,
    "brief_judged_7.json": 70,
    "brief_judged_8.json": 70,
    "brief_judged_9.json": 70,
    "brief_judged_10.json": 57,
    "brief_judged_11.json": 70,
    "brief_judged_12.json": 70,
    "brief_judged_13.json": 70,
    "brief_judged_14.json": 70,
    "brief_judged_15.json": 70,
    "brief_judged_16.json": 70,
    "brief_judged_17.json": 70,
    "brief_judged_18.json": 70,
    "brief_judged_19.json": 70,
    "brief_judged_20.json": 70,
    "brief_judged_21.json": 70,
    "brief_judged_22.json": 70,
    "brief_judged_23.json": 70,
    "brief_judged_24.json": 70,
    "brief_judged_25.json": 70,
    "brief_judged_26.json": 70,
    "brief_judged_27.json": 70,
    "brief_judged_28.json": 70,
    "brief_judged_29.json": 70,
    "brief_judged_30.json": 70,
    "brief_judged_31.json": 70,
    "brief_judged_32.json": 70,
    "brief_judged_33.json": 70,
    "brief_judged_34.json": 70,
    "brief_judged_35.json": 70,
    "brief_judged_36.json": 70,
    "brief_judged_37.json": 70,
    "brief_judged_38.json": 70,
    "brief_judged_39.json": 70,
    "brief_judged_40.json": 70,
    "brief_judged_41.json": 70,
    "brief_judged_42.json": 70,
    "brief_judged_43.json": 70,
    "brief_judged_44.json": 70,
    "brief_judged_45.json": 70,
    "brief_judged_46.json": 70,
    "brief_judged_47.json": 70,
    "brief_judged_48.json": 70,
    "brief_judged_49.json": 70,
    "brief_judged_50.json": 70,
    "brief_judged_51.json": 70,
    "brief_judged_52.json": 70,
    "brief_judged_53.json": 70,
    "brief_judged_54.json": 70,
    "brief_judged_55.json": 70,
    "brief_judged_56.json": 70,
    "brief_judged_57.json": 66,
    "brief_judged_58.json": 60,
    "brief_judged_59.json": 100,
}
#: How many drafts each file's reader found unfaithful.
UNFAITHFUL = {
    "brief_judged.json": 3,
    "brief_judged_2.json": 3,
    "brief_judged_3.json": 0,
    "brief_judged_4.json": 2,
    "brief_judged_5.json": 1,
    "brief_judged_6.json": 1,
    "brief_judged_7.json": 3,
    "brief_judged_8.json": 2,
    "brief_judged_9.json": 4,
    "brief_judged_10.json": 5,
    "brief_judged_11.json": 7,
    "brief_judged_12.json": 8,
    "brief_judged_13.json": 2,
    "brief_judged_14.json": 9,
    "brief_judged_15.json": 10,
    "brief_judged_16.json": 3,
    "brief_judged_17.json": 13,
    "brief_judged_18.json": 3,
    "brief_judged_19.json": 5,
    "brief_judged_20.json": 3,
    "brief_judged_21.json": 3,
    "brief_judged_22.json": 3,
    "brief_judged_23.json": 3,
    "brief_judged_24.json": 3,
    "brief_judged_25.json": 5,
    "brief_judged_26.json": 3,
    "brief_judged_27.json": 3,
    "brief_judged_28.json": 2,
    "brief_judged_29.json": 1,
    "brief_judged_30.json": 0,
    "brief_judged_31.json": 5,
    "brief_judged_32.json": 1,
    "brief_judged_33.json": 4,
    "brief_judged_34.json": 3,
    "brief_judged_35.json": 4,
    "brief_judged_36.json": 5,
    "brief_judged_37.json": 3,
    "brief_judged_38.json": 7,
    "brief_judged_39.json": 3,
    "brief_judged_40.json": 2,
    "brief_judged_41.json": 2,
    "brief_judged_42.json": 3,
    "brief_judged_43.json": 5,
    "brief_judged_44.json": 2,
    "brief_judged_45.json": 3,
    "brief_judged_46.json": 2,
    "brief_judged_47.json": 0,
    "brief_judged_48.json": 3,
    "brief_judged_49.json": 6,
    "brief_judged_50.json": 6,
    "brief_judged_51.json": 1,
    "brief_judged_52.json": 3,
    "brief_judged_53.json": 3,
    "brief_judged_54.json": 3,
    "brief_judged_55.json": 3,
    "brief_judged_56.json": 2,
    "brief_judged_57.json": 3,
    "brief_judged_58.json": 12,
    "brief_judged_59.json": 12,
}


def judged_items(path: Path) -> list[dict[str, object]]:
    """The judged items of one file."""
    return json.loads(path.read_text(encoding="utf-8"))["items"]
