"""Asks made by a statement or a question's tail, and sentences that only look like asks
(``reply.implied``, ``reply.compound``; round s8, the fresh dev labels): each family on
invented mail, with the courtesy, notice or third-person line it must leave alone."""

from __future__ import annotations

from tests.drafts.reply.helpers import asks_of, mail, plan_of


def test_an_indirect_question_is_an_ask_but_not_one_about_a_third_person() -> None:
    assert asks_of("I signed up for the parking lot. I was wondering when we would hear back.") == [
        "I was wondering when we would hear back."
    ]
    assert asks_of("Would like to know who Dana would pick if Lee says no.") == [
        "Would like to know who Dana would pick if Lee says no."
    ]
    assert asks_of("The analysts want to know if there will be desks for the interns.") == [
        "The analysts want to know if there will be desks for the interns."
    ]
    assert asks_of("My question for you is where the backlog sits today.") == [
        "My question for you is where the backlog sits today."
    ]
    # about someone else: only they can say (docs: "… if he received my resume")
    assert asks_of("I would like to know if he received my letter.") == []
    assert asks_of("He'll want to know when we are finished.") == []


def test_a_need_the_reader_can_meet_is_an_ask_but_not_the_writers_own_errand() -> None:
    assert asks_of("The wires came in. I still need routing information to post them.") == [
        "I still need routing information to post them."
    ]
    assert asks_of("Prices are firm, but I will need an answer by noon.") == [
        "Prices are firm, but I will need an answer by noon."
    ]
    assert asks_of("Please add Ann and me to the desk. We need to be able to trade it.") == [
        "Please add Ann and me to the desk.",
        "We need to be able to trade it.",
    ]
    assert asks_of("I need to leave early today for the dentist.") == []
    assert asks_of("I NEED MORE INFORMATION\nThe enrollment line is open all week.") == []
    assert asks_of("We need to get the units moved before the lease ends.") == []


def test_a_welcome_for_comments_is_an_ask_but_a_thanks_for_help_is_not() -> None:
    assert asks_of("Here is the draft clause. Your further thoughts on it are welcome.") == [
        "Your further thoughts on it are welcome."
    ]
    assert asks_of("Any amount you can give would be greatly appreciated.") == [
        "Any amount you can give would be greatly appreciated."
    ]
    assert asks_of("Your help is greatly appreciated.") == []
    assert asks_of("Any questions are welcome at the town hall.") == []


def test_a_softened_request_is_an_ask_but_banter_is_not() -> None:
    assert asks_of("We start the series in June. I'd really like to have you speak.") == [
        "I'd really like to have you speak."
    ]
    assert asks_of("Maybe you could run the same check on the other books.") == [
        "Maybe you could run the same check on the other books."
    ]
    assert asks_of("You will want to move the load to the other zone.") == [
        "You will want to move the load to the other zone."
    ]
    assert asks_of("I trade on the gas desk and would like to get access to the site.") == [
        "I trade on the gas desk and would like to get access to the site."
    ]
    assert asks_of("I paid the bill but wanted to make sure it was not for the stands.") == [
        "I paid the bill but wanted to make sure it was not for the stands."
    ]
    assert asks_of("Maybe you can find some friends as fun as yours!") == []
    assert asks_of("She wanted to make sure that we got our copy.") == []


def test_a_document_sent_for_review_or_signature_is_an_ask_but_a_mere_attachment_is_not() -> None:
    assert asks_of("Attached is the form we would like signed for the new agent.") == [
        "Attached is the form we would like signed for the new agent."
    ]
    assert asks_of("I am forwarding to you for review the attached lease.") == [
        "I am forwarding to you for review the attached lease."
    ]
    assert asks_of("Attached is the agenda for Monday.") == []
    assert asks_of("Sorry for the delay in forwarding this document to Acme for review.") == []


def test_an_invitation_with_its_time_is_an_ask_without_please_but_a_newsletter_is_not() -> None:
    assert asks_of("Join us for a drink tomorrow at Pappas around 4:30 p.m.") == [
        "Join us for a drink tomorrow at Pappas around 4:30 p.m."
    ]
    assert asks_of("Join us for these stories and more tomorrow.") == []


def test_a_question_that_asks_by_its_tail_or_after_a_lead_in() -> None:
    assert asks_of("We should probably restructure this, no?") == [
        "We should probably restructure this, no?"
    ]
    assert asks_of("The fees look settled to me.\nTrue or false?") == ["True or false?"]
    assert asks_of("Basis gets refreshed before each deal, but what about the fuel charges?") == [
        "Basis gets refreshed before each deal, but what about the fuel charges?"
    ]
    assert asks_of("There are 3 cabins left for that weekend. Anyone interested?") == [
        "Anyone interested?"
    ]
    assert asks_of("Going forward, should we keep the firm deal whole?") == [
        "Going forward, should we keep the firm deal whole?"
    ]
    # a narrator's tag asks nothing
    assert asks_of("So I'm on a boat in a town known for surfers, right?") == []


def test_have_you_typed_with_a_full_stop_is_a_question() -> None:
    assert asks_of("Michelle, have you had a chance to review the attached.") == [
        "Michelle, have you had a chance to review the attached."
    ]


def test_a_hold_until_told_is_an_ask_and_a_request_before_a_prohibition_stays() -> None:
    assert asks_of("Please do not release any checks to Acme until I let you know.") == [
        "Please do not release any checks to Acme until I let you know."
    ]
    assert asks_of("Please do not forward this to them.") == []
    found = asks_of(
        "Please could you check the totals; should anyone have left please do not move them."
    )
    assert found == [
        "Please could you check the totals; should anyone have left please do not move them."
    ]


def test_notices_sayings_and_offers_ask_nothing() -> None:
    assert asks_of("Please note that the office closes at noon on Friday.") == []
    assert asks_of("Hi Jim, please know that you remain our first choice.") == []
    assert asks_of("Please remember the quiet exit tomorrow.") == []
    assert asks_of("Go figure.") == []
    assert asks_of("If there are other people I can work with please let me know.") == []
    assert asks_of("If there is any more information that will help you, please let me know.") == []
    table = (
        "Wires received:\nCo\tDate\tAmount\n413\t10/01/01\t$3,207.00\nReturn wire by Acme Bank  530"
    )
    assert asks_of(table) == []
    assert asks_of("Please call me at 3-5555") == ["Please call me at 3-5555"]
    # a notice that goes on to ask stays an ask
    assert asks_of("Please note the new date and let me know if you can come.") == [
        "Please note the new date and let me know if you can come."
    ]


def test_a_courtesy_asks_nothing_however_it_is_worded() -> None:
    """Session 36: the placeholders left where the fresh intents answered everything."""
    courtesies = [
        "If you have questions please contact me at X56955.",
        "Call with questions.",
        "Call David Portz at 3-9239 with questions.",
        "If there are any issues with this please forward questions to Tim.",
        "Let me know if there's anything I can do to help you.",
        "If there is anyone I have missed on the email that needs this info, please forward it on.",
        "If you receive this email in error, please notify the sender by return email.",
        "Please advise immediately if you or your employer do not consent to Internet email.",
        "Liz has been a champ and if anything went critical I would let her know.",
        "If you know of someone who should receive this e-mail but has not, please forward.",
    ]
    for courtesy in courtesies:
        assert asks_of(f"The report is attached. {courtesy}") == [], courtesy
    # what a condition asks for is still asked ("… if you have any comments")
    assert asks_of("Please let me know if you have any comments on the draft.") == [
        "Please let me know if you have any comments on the draft."
    ]
    assert asks_of("I would appreciate it if you would let me know by Friday.") != []
    # a request joined to a courtesy over a line break ("rep." hid the full stop) stays
    joined = asks_of(
        "If you have questions on your status, please contact your HR rep.\n"
        "Please send your updated contact information to Payroll."
    )
    assert any("Please send your updated contact information" in ask for ask in joined)


def test_two_questions_in_one_sentence_are_two_asks() -> None:
    assert asks_of(
        "I would like your input as to what gifts we should buy, and how many I should order."
    ) == ["I would like your input as to what gifts we should buy", "how many I should order."]
    assert asks_of(
        "Please let me know what your reading of the clause is and whether we must send notice."
    ) == ["Please let me know what your reading of the clause is", "whether we must send notice."]
    # one question with "and" inside it stays one
    assert asks_of("Can you tell me what the rate is and send the form?") == [
        "Can you tell me what the rate is and send the form?"
    ]


def test_a_sentence_cut_in_two_on_one_line_is_not_two_asks() -> None:
    """The splitter cut "… at www.Acme.BenefitsNow.com   or call …" after the address; its
    "or call …" is the rest of the sentence, not an ask of its own (session 37)."""
    notice = (
        "If you plan to make changes, you will need to visit the website at "
        "www.Acme.BenefitsNow.com   \tor call the Enrollment Line at (800) 555-7979, Option 5."
    )
    assert asks_of(f"Open enrollment ends Friday.\n{notice}") == []
    # after an ask, the piece joins it
    joined = asks_of(
        "Please update your elections at www.Acme.BenefitsNow.com   \tor call the Enrollment "
        "Line at (800) 555-7979."
    )
    assert len(joined) == 1 and joined[0].startswith("Please update your elections")
    assert joined[0].endswith("(800) 555-7979.")
    # on a line of its own, "or call …" is a request of its own
    assert asks_of("I sent the forms yesterday.\nor call me at 555-7979 if that is easier.") != []


def test_a_reminder_to_do_something_asks_but_a_pointer_to_read_on_does_not() -> None:
    """Session 37's blind dev labels: "Please remember to bring your packet" asks (it was
    taken for a notice), "See below for details." asks nothing, and a task before a
    courtesy in one sentence ("Please review and call me with any questions") is asked."""
    assert asks_of("The session is Tuesday. Please remember to bring your packet.") == [
        "Please remember to bring your packet."
    ]
    assert asks_of("The session is Tuesday. Please remember that the doors open at 8.") == []
    for pointer in ("See below for details.", "Please see attached.", "See the attached."):
        assert asks_of(f"We changed the process. {pointer}") == [], pointer
    assert asks_of("Please review and call me with any questions or comments.") == [
        "Please review and call me with any questions or comments."
    ]
    assert asks_of("The draft is final. Please give me a call with any questions.") == []


def test_a_wish_the_reader_can_grant_is_an_ask_but_the_writers_own_plan_is_not() -> None:
    """The blind ask labels count a wish said as a statement: "Let's discuss …", "It would
    be most helpful if you …", "I could use your advice", "I am in need of …", "I will need
    to have … set up", "I'd like to meet …", "I'd love to hear …" (session 39)."""
    for wish in (
        "Let's discuss the addendum before we call them.",
        "It would be most helpful if you sent me a range of dates.",
        "It might be helpful to discuss the storage deal with Ken.",
        "I could use your advice on the bonus letters.",
        "I am in need of two more copies of the contract.",
        "I will need to have the Nicor product set up by Friday.",
        "I'd like to meet with you next week about the budget.",
        "We would also like to hear your thoughts on the new desk.",
        "I'd love to know how the move went.",
        "I would like everyone's input on the new schedule.",
        "Let’s discuss the numbers on Monday, then.",
        "I’d like to meet with you about the swap.",
        "I'm in need of the signed confirms.",
        "I'll need to have the book set up by noon.",
    ):
        assert asks_of(f"The storage numbers are in. {wish}") == [wish], wish
    for plan in (
        "I would like to thank you all for your support.",
        "I would like to move forward with Phase III.",
        "In retrospect, it would be helpful to analyze the long position.",
        "I thought it might be helpful to be very basic about the tax issues.",
        "We will need to get the lenders comfortable with our credit.",
        "Let's hope the weather holds.",
        "I would like to know if he received my letter.",
    ):
        assert asks_of(f"The storage numbers are in. {plan}") == [], plan


def test_a_wish_beside_a_question_or_request_only_leads_up_to_it() -> None:
    """ "I'd like to schedule some time with you … Please let me know what works for you.":
    one ask, not two placeholders for the user to fill."""
    assert asks_of(
        "I'd like to schedule some time with you to discuss the certificates deal. Please let "
        "me know what works for you."
    ) == ["Please let me know what works for you."]
    assert asks_of("Let's talk about this. Let me know your thoughts on the venue.") == [
        "Let me know your thoughts on the venue."
    ]


def test_a_wish_alone_is_the_ask_the_users_answer_takes_up() -> None:
    document = mail(
        "Hi Bob,\n\nThe storage report is done. I'd like to meet with you next month about "
        "the storage desk.\n\nAnn"
    )
    plan = plan_of(document, "Sure, I'd be glad to meet next month.")
    assert [(a.text, a.answered_by) for a in plan.asks] == [
        ("I'd like to meet with you next month about the storage desk.", "intent")
    ]
    assert plan.placeholders() == []
    assert plan_of(document).placeholders() == [
        "[Answer: I'd like to meet with you next month about the storage desk.]"
    ]
