"""The shapes of an ask that ``actions.request_cue`` leaves out and a brief still takes
as a request (``extra_ask``). ``request_cue`` is shared with replies and the digest,
where a false ask costs a wrong flag; a brief only chooses which sentences to say, so it
may take a wider net. Read from the usefulness failures of judged dev briefs (the
request sat late in the mail and the brief quoted its opening instead):

* a proposal to the reader: "we should make the change and email the parties";
* a shared duty: "Joe, this means you and I need to be on the road on Friday";
* a need for more: "We need more help!!!";
* the mail's own purpose: "I am writing to ask for your input on …";
* a wish for a meeting: "I would appreciate the opportunity to get together to discuss …";
* an instruction after a condition: "If not, call Paul and find out …".
"""

from __future__ import annotations

import re

from plugin.drafts.summary.actions import IMPERATIVE_VERBS

_EXTRA_ASK = re.compile(
    # "we should make the change" (not "we should be fine", "analyze if we should do it";
    # "you should receive it within the week" informs)
    r"(?<!\bif\s)(?<!\bwhether\s)\bwe\s+(?:really\s+|probably\s+|also\s+)?should\s+"
    r"(?!have\b|be\b|not\b|receive\b|know\b|see\b|hear\b|get\b)[a-z]+"
    r"|\byou\s+and\s+(?:i|me)\s+(?:need|must|have)\s+to\b"
    r"|\b(?:i|we)\s+(?:still\s+|really\s+|also\s+)?need\s+(?:more|additional|extra|another)\b"
    r"|\b(?:writing|write)\s+to\s+(?:ask|request|invite|see\s+if)\b"
    r"|\bask(?:ing)?\s+for\s+your\b"
    r"|\b(?:'d|would)\s+(?:\w+ly\s+)?appreciate\s+(?:the|a|an)\s+(?:opportunity|chance)\b"
    # A question put as a statement: "Bottom line is do you want me to continue …",
    # "I was wondering if you would be in Houston", "I am not sure how/where to put this
    # in writing", "What we now need from West LB is their settlement amount".
    r"|\b(?:do|would)\s+you\s+(?:want|like)\s+(?:me|us)\s+to\b"
    r"|\b(?:i|we)(?:\s+|(?='))(?:was|were|am|are|'m|'re)\s+wondering\s+(?:if|whether)\b"
    # (not "I am not sure if my voice mail will make it to you": the writer's own doubt)
    r"|\b(?:i|we)(?:\s+|(?='))(?:am|are|'m|'re)\s+not\s+sure\s+(?:how|where|whether|what|who|when)"
    r"(?:/\w+)?\s+to\b"
    r"|^\W*what\s+(?:we|i)\s+(?:now\s+|still\s+|really\s+)?need\s+(?:\w+\s+){0,4}?is\b"
    # A notice's instruction: "She needs your presentation today", "DO NOT CLICK ON THE
    # LINK", "it is imperative that you begin …", "This notice … should be disregarded".
    r"|\bneeds\s+your\b"
    # A need put to each reader: "I need each of you to forward me a check for $1,071.42."
    r"|\b(?:i|we)(?:\s+|(?='))(?:will\s+|'ll\s+|also\s+)?need\s+(?:each|all|both|every\s*one|one)\s+of\s+"
    r"you\s+to\b"
    r"|^\W*(?:do\s+not|don'?t|never)\s+(?!worry\b|hesitate\b|know\b|think\b|have\b|recall\b|remember\b"
    r"|believe\b|see\b|understand\b|expect\b|mind\b|forget\s+to\s+"
    r"(?:have|enjoy)\b)[a-z]+"
    r"|\b(?:it\s+is|it's)\s+(?:imperative|important|essential|critical|vital)\s+that\s+you\b"
    r"|\bshould\s+be\s+(?:disregarded|ignored|deleted|discarded|destroyed)\b",
    re.IGNORECASE,
)
#: Verbs of a notice's instruction that ``IMPERATIVE_VERBS`` (shared with replies and the
#: digest) leaves out: "If you receive this email, DELETE it immediately."
_NOTICE_VERBS = frozenset(
    ["delete", "disregard", "ignore", "destroy", "discard", "avoid", "ensure"]
)
#: "If not, …", "If so, …", "If you agree, …": a short condition before an instruction;
#: so is a short fronted phrase: "On this one, look at the recon tab …", "Tomorrow, call …".
_CONDITION = re.compile(
    r"^\W*(?:if\s+|(?:on|for|when|once|after|before|tomorrow|today|meanwhile|also|then|first"
    r"|finally|otherwise|in\s+the\s+meantime)\b)[^,.;:?!]{0,40},\s*",
    re.IGNORECASE,
)


def extra_ask(text: str) -> bool:
    """Whether ``text`` asks the reader in a shape that ``request_cue`` leaves out."""
    if _EXTRA_ASK.search(text):
        return True
    condition = _CONDITION.match(text)
    if condition is None:
        return False
    rest = text[condition.end() :]
    first = re.match(r"[A-Za-z'-]+", rest)
    verbs = IMPERATIVE_VERBS | _NOTICE_VERBS
    return bool(first and first.group().lower() in verbs and not rest.endswith("?"))


__all__ = ["extra_ask"]
