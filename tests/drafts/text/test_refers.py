"""Openings and words that refer back to the sentence before. All examples are written
for these tests."""

from __future__ import annotations

import pytest

from plugin.drafts.text.refers import refers_back


@pytest.mark.parametrize(
    "text",
    [
        "Is this enough to close the account?",
        "Does that change the rollout?",
        "It was signed on Monday.",
        "They want an answer by Friday.",
        "These numbers are final.",
        "But that was before the audit.",
        "If so, book the room.",
        "If not, we wait.",
        # a condition whose verb phrase is left out leans on the question before it
        "If you do, I will take them off the list.",
        "If they don't, we cancel the order.",
        "If you can, please call the plant.",
        "If yes, send the form back.",
        # "as such" and a clause-final "it" stand for what was said before (ninth sample)
        "As such, they may differ from the firm's views.",
        "You probably know about it already.",
        "What do you think of it?",
        # a causal connective or "the first part" leans on what came before (tenth sample)
        "Accordingly, our normal policies are suspended.",
        "For that reason, all trades must be done by Friday.",
        "Therefore we will wait for the auditors.",
        "The first part will run from 1 until 1:30.",
        "If anybody is interested, reply to me.",
        "If you're interested, call Ravi.",
        "If this works for you, sign below.",
        "The above prices include tax.",
        "As mentioned, the vendor is late.",
        "As noted earlier, the lab is closed.",
        "In that case, we cancel.",
        # "in that regard" stands for the question before it (the twenty-seventh sample)
        "In that regard, would you recommend distinct schedules for these entities?",
        "To that end, we hired two analysts.",
        "In this respect the two offers differ.",
        "Such requests go to the board.",
        # "this"/"these" standing alone further on (the seventh judged sample)
        "How does the desk keep track of this?",
        "Please let me know if this is going to create any problems.",
        "I would be grateful if you could provide this as soon as possible.",
        "We should sign these by Friday.",
        # … or before a conjunction (the twenty-eighth sample)
        "I think that I am okay with this but wanted your input.",
        "Please sign this so we can file it.",
        # "that" standing alone as an object (a dev A/B of session 9)
        "Can you do that if I get you the rates?",
        "I agree with that.",
        "We need that by Friday.",
        "Could you check that for me?",
        # "such a …" further on and an object "them" (the eleventh sample)
        "Can you let me know if ENE has ever issued such a guaranty?",
        "Please take a look at them and make sure nothing is missing.",
        "What do you think of them?",
        # an additive connective carries on the sentence before (the twelfth sample)
        "Additionally, Beth plans to explore commercial opportunities within the firm.",
        "In addition, the desk will close early on Friday.",
        "Furthermore, the vendor has not paid.",
        "Moreover, the audit is late.",
        # a pair the writer belongs to, named before (the thirteenth sample)
        "I came close with 6 wrong, but we both have St. Louis tonight.",
        "This slot is the most convenient for both of us.",
        "The two of us will cover the booth.",
        # a time connective or a report carried on (read on unseen mail, 4 Dec): "after
        # resuming invoices" is what a reader would take it to follow
        "Subsequently, the ISO issued a single monthly invoice.",
        "Previously the desk paid late.",
        "After that, we went home.",
        "The notice further indicated that the practice applies to June.",
        # a question about a pro-form subject, or a doing verb's "it" at the clause end
        # (the twenty-seventh and twenty-ninth samples: "How did he do it?" after a cut)
        "How did he do it?",
        "What does this # represent?",
        "Why are they late again?",
        "We can do it.",
        "Could you approve them?",
        # "this" before an adverb is a pronoun; a preference leans on the options before it
        # (the thirty-third and thirty-fourth samples)
        "Given the length of the meeting, this probably makes no sense.",
        "Please let me know your preference.",
        "Let me know which you prefer.",
        # an elliptical approval, a deletion's "it", "it" as an infinitive's subject (the
        # thirty-sixth sample)
        "If approved, we should test ASAP.",
        "Why do you want to delete it?",
        "Please arrange for it to be executed.",
        # a pronoun after a comment adverb, a count whose noun was said before (session 22)
        "Needless to say he eats a lot.",
        "Hopefully, they will sign today.",
        "There are 4 in the review queue, each large.",
        "There were several pending at month end.",
        "May I discuss your accounts with him?",
        "Maybe they fell out of the truck?",
        "Could you look into that as well?",
        "Any way to avoid that?",
    ],
)
def test_openings_that_refer_back(text: str) -> None:
    assert refers_back(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please send the invoice by Friday.",
        "This week the lab is closed.",
        "These days nobody faxes.",
        "It is important to file on time.",
        "Would it be possible to move the call?",
        "It seems that the vendor is late.",
        "If you are interested in the board seat, call Ravi.",
        "If you do not receive the form by Friday, call me.",
        "If you can attend, please reply.",
        "If no one objects, we sign on Monday.",
        "We will make it to the meeting.",
        "Please send it to Dana by Friday.",
        "The talk is about item four of the agenda.",
        "The first part of the plan is attached.",
        "Thus far the vendor has paid on time.",
        "The contract is attached.",
        "Thanks for this.",
        "Attached is the list of sites.",
        "Please review this report by Friday.",
        "We met these people today.",
        "The steps go like this: log in, then approve.",
        "Please confirm that the rates are final.",
        "Please send that file to Dana.",
        "Please send them to Dana by Friday.",
        "Look at them carefully before you sign the lease.",
        "We need that the form is signed by both parties.",
        "In addition to the fee, the vendor wants a deposit.",
        "Tracy and I both think the slot works.",
        "Both parties must sign the form.",
        # an instruction under "Meanwhile" stands on its own (a judged faithful draft)
        "Meanwhile, please read the announcement below from Security.",
        "Since the desk closed, we wait for the auditors.",
        "We saw these so-called experts on the news.",
        "What do you think?",
        "How do we file the form?",
        "Why is it important to file early?",
        "Please approve it by Friday.",
        "If we are going to discuss the terms, let's do it.",
        "Why is it you are so hard to reach?",
        "How is it going?",
        "Put the files in a directory of your choice.",
        "What is your preference: the bank's rate or another?",
        "This year only.",
        "If possible, send the file today.",
        "The plan is for them to switch on Tuesday.",
        "Many still doubt it will open in May.",
        "Hopefully the vendor will sign today.",
        "Unfortunately, it is not possible to move the call.",
        "There are 4 new trades in the book.",
        "There are two options: buy or lease.",
        "Maybe you need to speak with Francisco about his schedule, or with him.",
        "Maybe the vendor will call.",
        "We want to avoid that charge next year.",
    ],
)
def test_openings_that_stand_on_their_own(text: str) -> None:
    assert not refers_back(text)
