"""The judged drafts a reader refused that today's checks still pass (issue #12): the
strict xfails of ``test_judged_checks.py``, each with the family it belongs to."""

#: Refused drafts that today's checks still pass: families the claim check does not
#: handle yet (issue #12, the eleventh to fifty-ninth samples). Each is a strict xfail
#: (``test_judged_checks.test_known_misses_fail_todays_checks``), so the test turns red the
#: day the check learns to refuse one and this list must shrink.
KNOWN_MISSES = {
    # The splitter joined a table row to the sentence after it ("EQ 6930.1, .2 ECT does
    # NOT have a master …"), so "these trades" seems to mean the last row only.
    "data/aeslc-train/shackleton-s_sent_164.subject",
    # The model's rewrite moved a date window onto the heading line, leaving "This
    # moratorium" about nothing shown.
    "data/aeslc-train/lokey-t_inbox_216.subject",
    # A distribution list quoted whole, then a garbled tail of a rating table.
    "data/aeslc-train/kaminski-v_sent_1367.subject",
    # The twelfth sample. The model's compression left out "Please advise if:", so a
    # numbered question reads as a statement.
    "data/aeslc-train/shackleton-s_sent_1412.subject",
    # "most convenient for both of us" quoted without the sentence naming the two.
    "data/aeslc-train/shackleton-s_sent_6131.subject",
    # A compression that cut an "i.e." list to its first two items.
    "data/aeslc-train/buy-r_inbox_697.subject",
    # The fourteenth sample. "this time period" standing for a window the brief left out,
    # which no sentence before it names with that noun (``introduced`` catches "this
    # call" after the sentence that introduced the call; refusing every demonstrative
    # and noun without the sentence before it refused 17 faithful dev drafts to catch 4).
    "data/aeslc-train/reitmeyer-j_inbox_100.subject",
    # "I asked her to email you for the info" without the sentence naming her: refusing a
    # person as a doing verb's object ("asked her", "have her call") without the sentence
    # before it caught this one and no faithful dev draft, but cost usefulness in the plans
    # (a 4 PM deadline lost; a question to the reader gave way to who "her" is).
    "data/aeslc-train/shackleton-s_sent_1251.subject",
    # A bare "Please confirm." after statements it was not about (refusing a bare request
    # without its sentence before it caught this one and refused one faithful dev draft).
    "data/aeslc-train/shackleton-s_sent_1969.subject",
    # The fifteenth sample (read, not yet worked on). An object "them" whose names the
    # brief left out ("Can we invite them to the dinner" after "Rice students").
    "data/aeslc-train/kaminski-v_sent_1015.subject",
    # A joke the next sentence takes back ("Gas Daily is out!!" / "No, wait ...").
    "data/aeslc-train/keiser-k_inbox_337.subject",
    # A list's later item quoted as a bare rule, and the writer's later retraction left out.
    "data/aeslc-train/shackleton-s_sent_446.subject",
    # Table cells spliced into a sentence ("AGA Last Year. +407").
    "data/aeslc-train/parks-j_inbox_53.subject",
    # An analogy quoted straight after the claim it illustrates.
    "data/aeslc-train/kaminski-v_inbox_141.subject",
    # A leftover list item joined to the sentence after it.
    "data/aeslc-train/tycholiz-b_inbox_361.subject",
    # The sixteenth sample. Directions quoted from their middle, reading as complete; one
    # numbered question of three, reading as the only one.
    "data/aeslc-train/kaminski-v_sent_4728.subject",
    "data/aeslc-train/shackleton-s_sent_1975.subject",
    # The seventeenth sample. Compressions (now off by default): a hedge "(I hope)" cut, a
    # clause cut that a later "this issue" named, a vocative cut from a request ("Shirley,
    # please arrange …"), a workshop's seat limit spliced after another item, a question
    # whose ask was left out ("make this happen").
    "data/aeslc-train/shackleton-s_sent_6311.subject",
    "data/aeslc-train/shackleton-s_sent_975.subject",
    "data/aeslc-train/kaminski-v_sent_4086.subject",
    "data/aeslc-train/may-l_inbox_613.subject",
    # Quotes: "any of the following times?" without the times; "Let me know if you
    # disagree" without the change it was about; one of three announced companies; an
    # action item without the writer's advice to hold off; a newsletter teaser joined to
    # an item ("this phenomenon"); one reassignment of many after "To this end:";
    # directions from their middle; "To activate this feature" without the feature.
    "data/aeslc-train/buy-r_inbox_722.subject",
    "data/aeslc-train/campbell-l_inbox_354.subject",
    "data/aeslc-train/steffes-j_inbox_289.subject",
    "data/aeslc-train/salisbury-h_inbox_671.subject",
    "data/aeslc-train/salisbury-h_inbox_785.subject",
    # The eighteenth sample (quoted, bridged): "the following FOB indication" followed by
    # a sentence that is not the indication; a hedged line with its "also" and the two
    # deals before it left out; a joke ("let's forget it") without the "No, seriously"
    # that takes it back.
    "data/aeslc-train/ybarbo-p_inbox_422.subject",
    "data/aeslc-train/shackleton-s_sent_1180.subject",
    "data/aeslc-train/shackleton-s_sent_6036.subject",
    # The nineteenth sample (quoted, bridged): two of three "following comments" and two of
    # four numbered points, each reading as the whole list; a trip left out that "Also, I
    # can …" and "if the timing works" lean on; a news item spliced after another ("its
    # 24.5 per cent stake"); a closing question about "this event" after the wrong part.
    "data/aeslc-train/shackleton-s_sent_811.subject",
    "data/aeslc-train/stclair-c_sent_17.subject",
    "data/aeslc-train/shackleton-s_sent_991.subject",
    "data/aeslc-train/derrick-j_inbox_43.subject",
    "data/aeslc-train/shackleton-s_sent_810.subject",
    # The twentieth sample (quoted, bridged, "[…]" where text is left out): a Q&A whose
    # "I am on a H1-B Visa" was left out, so its answer reads as for everyone; "that
    # meeting" after the wrong meeting; the usual process read as what happened this time.
    "data/aeslc-train/cash-m_inbox_181.subject",
    "data/aeslc-train/delainey-d_sent_440.subject",
    "data/aeslc-train/salisbury-h_inbox_813.subject",
    # The twenty-first sample (the same default): a board's question quoted after "[…]"
    # without its answer, reading as the writer's question; a list's row without its
    # heading; "1) The message waiting light won't go off …" after "[…]", the "may
    # happen" that introduced it left out.
    "data/aeslc-train/derrick-j_inbox_1.subject",
    "data/aeslc-train/salisbury-h_inbox_643.subject",
    # The twenty-second sample: the first of four "open credit points" and the first of
    # two "following questions" without a mark that the list goes on (the item's number
    # ended the line before it, or the item ran over two lines: both marked now); a
    # newsletter's closing call to action after another item.
    "data/aeslc-train/stclair-c_sent_2213.subject",
    "data/aeslc-train/stclair-c_sent_469.subject",
    "data/aeslc-train/salisbury-h_inbox_323.subject",
    # The twenty-third sample: the first of two unmarked "following files" (marked now); a
    # thank-you whose "it did not work out" and the new job were left out between "[…]",
    # so "I will be responsible for structuring" reads as at Enron; "However, we trade
    # with NAB London" and a question about "this" agreement without the sentence naming
    # the agreement (an opening "However," leaning back was measured: it cost more briefs
    # their ask or antecedent than it mended, so it is not in the context rules).
    "data/aeslc-train/stclair-c_sent_2361.subject",
    "data/aeslc-train/kaminski-v_inbox_253.subject",
    "data/aeslc-train/shackleton-s_inbox_395.subject",
    # The twenty-fourth sample: an analysts' "We have no such doubt." quoted first, without
    # the analysts who said it; a fare's "All travel must be completed by December 15"
    # after a newsletter's opening, reading as true of every deal; "This is what I wrote,
    # denying the request: The reason … has been communicated several times." with the
    # reasons after it left out and no mark.
    "data/aeslc-train/salisbury-h_inbox_933.subject",
    "data/aeslc-train/campbell-l_inbox_23.subject",
    "data/aeslc-train/kaminski-v_sent_841.subject",
    # The twenty-fifth sample: "Please advise otherwise." after the sentence before the one
    # it answers; two rows of an existing list where the locations to add should be; the
    # first of several announced enhancements, unmarked (items opened by "?"); a list of
    # requested changes without "The above counterparty has requested the following"
    # (its items read as the writer's orders); "these businesses" after "[…]", the
    # non-core ones left out (the family of the read-ten note of 4 Dec).
    "data/aeslc-train/shackleton-s_sent_2234.subject",
    "data/aeslc-train/keiser-k_inbox_367.subject",
    "data/aeslc-train/campbell-l_inbox_38.subject",
    "data/aeslc-train/stclair-c_sent_441.subject",
    # The twenty-sixth sample: items "(1) … (2) …" in running text, "(3)" and "(4)" left
    # out with no mark; a section's sentence without its heading "Stations 3 and 4.";
    # "You will be one cost center" without "Russ and Greg." that addressed it (the plan
    # now marks the first and brings the headings: ``brief_items``).
    "data/aeslc-train/shackleton-s_sent_5394.subject",
    "data/aeslc-train/campbell-l_sent_202.subject",
    "data/aeslc-train/keiser-k_inbox_390.subject",
    # The twenty-seventh sample: two of an announcement's three sentences, the third (more
    # reserved hours) left out unmarked. (Its others are refused now: "In that regard,
    # would you recommend …" after "[…]" without the question it answers, since an
    # opening "in that regard" leans back; and "What does this # represent", since a
    # question about a pro-form subject does, ``context.refers_back``.) The twenty-eighth
    # sample's two ("I think that I am okay with this but …" and a proposed name quoted
    # alone after "[…]") and the twenty-ninth's one ("How did he do it?" after "[…]") are
    # refused now too: "this" before a conjunction, a line that is only a quotation, a
    # question about "he" ending in a doing verb's "it".
    "data/aeslc-train/campbell-l_inbox_646.subject",
    # The thirty-first sample: a form's last row cut at "Days In Mgr." with no mark (today's
    # brief marks it, ``brief_text.form_goes_on``; the check does not read marks); a
    # form's fields as fragments; "their draft" after "[…]" meaning drafters left out (a
    # possessive "their" leaning back refused four faithful test drafts and one dev draft
    # to catch it); a forwarded note's request read as the forwarder's; and the
    # thirty-second's one: a letter's "agreeable to continue … power and payment" without
    # the adjustment the mail says follows. (Its "… a change of ownership, etc." without
    # "(as to Daishowa)?" is refused now: ``context.continued_by``.)
    "data/aeslc-train/horton-s_inbox_62.subject",
    "data/aeslc-train/donoho-l_inbox_40.subject",
    "data/aeslc-train/shackleton-s_inbox_243.subject",
    "data/aeslc-train/keiser-k_inbox_109.subject",
    "data/aeslc-train/derrick-j_inbox_35.subject",
    # The thirty-third sample: a position stated without the mail's conclusion that it is
    # false; "Plan to do with you next week." after "[…]" doing something left out; the
    # thirty-fourth's: a notice's "pay by credit card" without the reimbursement it
    # promises; an analysis without its writer's caveat. (Their others are refused now:
    # "this probably doesn't make sense" after "[…]" — "this" before an adverb stands
    # alone —, "Please let me know your preference." without the options, and "Hello
    # Sara," kept while "Hello Robert," was left out, now both lead-ins.)
    "data/aeslc-train/salisbury-h_inbox_868.subject",
    "data/aeslc-train/buy-r_inbox_812.subject",
    "data/aeslc-train/parks-j_inbox_183.subject",
    "data/aeslc-train/kaminski-v_inbox_99.subject",
    # The thirty-fifth sample: test results without the later finding that cleaning
    # cleared them; two of three numbered issues, then a line about the third; a request
    # to Sue under the greeting to Cindy; an ICE bulletin's residue. The thirty-sixth's: a
    # plan quoted under the wrong numbered position; a rotation table cut mid-row. (Their
    # others are refused now: "arrange for it to be executed", "If approved, we should
    # test ASAP." and "Why do you want to delete it?" after "[…]".)
    "data/aeslc-train/shackleton-s_sent_5452.subject",
    "data/aeslc-train/stclair-c_sent_978.subject",
    "data/aeslc-train/may-l_inbox_918.subject",
    "data/aeslc-train/salisbury-h_inbox_799.subject",
    "data/aeslc-train/shackleton-s_sent_307.subject",
    # The thirty-seventh to fortieth samples (four sentences for long mails). A line
    # that leans on what was cut: "Go inside and ask for directions there", "Re-application
    # every 6 months." (a cost line read as the plan), "the second book", "this new tool",
    # "this type of activity", "someone that might be looking for a job" (the nanny search
    # cut), "as well" and "this hour" after a trader's row; a form's value without its
    # label ("Bisti. […] 11,632", "David Port MD" without "VP", "Delivered on Saturday,
    # October."); a signature name read as the addressee ("Phillip Please cc me"); a quoted
    # colleague's line read as the writer's; a list or a "Following are …" whose rest was
    # left out unmarked (the brief now marks the last two and the trader's row: the claim
    # check does not read marks); an approval quoted without the line that withdrew it.
    "data/aeslc-train/arnold-j_inbox_19.subject",
    "data/aeslc-train/parks-j_inbox_288.subject",
    "data/aeslc-train/geaccone-t_inbox_142.subject",
    "data/aeslc-train/keiser-k_inbox_27.subject",
    "data/aeslc-train/campbell-l_sent_120.subject",
    "data/aeslc-train/stclair-c_sent_1083.subject",
    "data/aeslc-train/salisbury-h_inbox_610.subject",
    "data/aeslc-train/may-l_inbox_878.subject",
    "data/aeslc-train/buy-r_sent_173.subject",
    "data/aeslc-train/kaminski-v_sent_941.subject",
    "data/aeslc-train/allen-p_sent_500.subject",
    "data/aeslc-train/campbell-l_inbox_920.subject",
    "data/aeslc-train/kaminski-v_inbox_647.subject",
    "data/aeslc-train/kaminski-v_inbox_200.subject",
    # The forty-first and forty-second: lines of a newsletter's other items read as the
    # first item's; a question of item 4 under item 1; a flight number after "here are the
    # new details" that is the outbound one; figures without their row labels; "They would
    # also like them to be signed" after a list of entities, the letters cut.
    "data/aeslc-train/campbell-l_inbox_613.subject",
    "data/aeslc-train/stclair-c_sent_83.subject",
    "data/aeslc-train/derrick-j_inbox_94.subject",
    "data/aeslc-train/buy-r_inbox_647.subject",
    # The forty-third to forty-sixth (four sentences from eight on): a sentence cut before
    # its bracketed "(for the moment)"; "There are 3 in the negotiation process" after the
    # line naming them was cut; a line split at "ISO-New."; contract text quoted as the
    # writer's own; deal numbers and test results announced and left out unmarked (the
    # brief now marks rows of figures); "Let me try to explain our rationale" before
    # another topic; a table's footnote read as the whole bulletin's; "We should later do
    # the ISDA" without "We need a deemed ISDA"; "Any more and it actually won't work" and
    # "Please check it out" after other lines.
    # (Refused now: "let me know." without "If you didn't.", "Please call." without "Any
    # questions?", "There are 3 in the negotiation process" without the line before it.)
    "data/aeslc-train/shackleton-s_sent_1433.subject",
    "data/aeslc-train/campbell-l_inbox_194.subject",
    "data/aeslc-train/shackleton-s_inbox_396.subject",
    "data/aeslc-train/keiser-k_inbox_293.subject",
    "data/aeslc-train/kaminski-v_inbox_255.subject",
    "data/aeslc-train/slinger-r_inbox_49.subject",
    "data/aeslc-train/shackleton-s_sent_6140.subject",
    "data/aeslc-train/parks-j_inbox_160.subject",
    # (The forty-eighth's are refused now: "Needless to say he likes to eat" without the
    # line naming him; "How are those efforts coming?" and "this option is not available
    # to you" without the left-out sentence before them, which the noun leans on.)
    # The forty-ninth to fifty-second (legal footers cut, lone words never said): a line
    # that leans on cut context through a noun phrase ("this language", "this option",
    # "this goal", "these offices", "the agreements", "the electrical maintenance") or
    # through nothing a rule can name ("We'll have all the details … on Friday"); a
    # sentence the splitter cut or ran together ("FERC has to acknowledge …", "(make
    # these very specific--objectives like …", two bullets run together); a request read
    # as made to the line's other addressee; a questionnaire's answer without its
    # question; a list or a table row left out (now marked: ``brief_text.row_goes_on``,
    # ``questions_go_on``). (Refused now: "Maybe they were stuck to my clothes?", "Could
    # you look into that as well?".)
    "data/aeslc-train/gay-r_inbox_14.subject",
    "data/aeslc-train/shackleton-s_sent_2345.subject",
    "data/aeslc-train/stclair-c_sent_496.subject",
    "data/aeslc-train/fossum-d_sent_43.subject",
    "data/aeslc-train/buy-r_inbox_110.subject",
    "data/aeslc-train/fossum-d_sent_1289.subject",
    "data/aeslc-train/shackleton-s_sent_6227.subject",
    "data/aeslc-train/derrick-j_inbox_230.subject",
    "data/aeslc-train/donoho-l_inbox_49.subject",
    "data/aeslc-train/buy-r_inbox_934.subject",
    "data/aeslc-train/kuykendall-t_sent_36.subject",
    # The fifty-third to fifty-sixth: a line that leans on cut context ("Each comment and
    # addition will not impact …", "Don't want to go back and forth", "Once we have this
    # information", a legal opinion read as another item's); a table's labels and values
    # cut apart ("Heat Rate = 7500 BTU/kwh LPG", "+411" without its label); a line after
    # which the mail retracts it (a bookout that fell through, marked "[…]"); a list
    # announced and left out unmarked (now marked: ``brief_text.announces_more``).
    # (Refused now: "Any way to avoid that?", "4 lb." cut from "9 oz.".)
    "data/aeslc-train/keiser-k_inbox_77.subject",
    "data/aeslc-train/ybarbo-p_sent_14.subject",
    "data/aeslc-train/campbell-l_sent_206.subject",
    "data/aeslc-train/smith-m_inbox_327.subject",
    "data/aeslc-train/shackleton-s_sent_5229.subject",
    "data/aeslc-train/parks-j_inbox_62.subject",
    "data/aeslc-train/salisbury-h_inbox_871.subject",
    "data/aeslc-train/keiser-k_inbox_276.subject",
    # The fifty-seventh (what a sentence leans on said at no cost): a heading's "the New
    # York …" cut at the spaces that stood for a line break ("… of the New."); a table's
    # cells joined across rows ("Phantom shares Credit Suisse."); a note in a bulleted
    # summary read as the writer's own view ("Don't want to go back and forth.").
    "data/aeslc-train/campbell-l_inbox_488.subject",
    "data/aeslc-train/shackleton-s_inbox_598.subject",
    "data/aeslc-train/tycholiz-b_inbox_353.subject",
    # The fifty-eighth, a new source (SpamAssassin ham, mostly commercial newsletters): a
    # line whose "it", "that" or "this" points at a story the brief left out ("It may
    # again have billions of excess goodwill", "Once that's done, it will cut 20-30
    # minutes"); a sentence under a heading that reverses its sense ("We're pleased that
    # the Congress is looking at spam issues again" above an opposed bill); a condition
    # or an official-rules step cut off ("Please contact your vendor directly", "send it
    # electronically by …"); an auction's "Starting Bid $1" joined to the next item; a
    # URL and an image tag that name no item; SQL quoted with a bracket dropped.
    "corpus/mail/spamassassin/hard-ham-1_00004.68819fc91d34c82433074d7bd3127dcc.eml",
    "corpus/mail/spamassassin/hard-ham-1_00158.8042a8d7b2a93ebdee1df8239cfea2b0.eml",
    "corpus/mail/spamassassin/hard-ham-1_00011.acdfa5be40e7b6c3ad3df28c63670c7c.eml",
    "corpus/mail/spamassassin/hard-ham-1_00143.582f03016b3c094e7d0635328d1a27bc.eml",
    "corpus/mail/spamassassin/hard-ham-1_00002.ca96f74042d05c1a1d29ca30467cfcd5.eml",
    "corpus/mail/spamassassin/hard-ham-1_00133.3e322807150a5e6584ba59accf6b05f4.eml",
    "corpus/mail/spamassassin/easy-ham-1_02169.5424cc156b999457273d8f8d8f630093.eml",
    "corpus/mail/spamassassin/hard-ham-1_00211.1ca67c3677fa0051ccfa27c756d32b5a.eml",
    "corpus/mail/spamassassin/hard-ham-1_00035.a0e0e8cdca0b8352a9e9c2c81e5d5cd7.eml",
    "corpus/mail/spamassassin/hard-ham-1_00074.c6f6a8cef7af2b318f769fc4633aa68d.eml",
    "corpus/mail/spamassassin/hard-ham-1_00193.0ec2d3762629686bdebde22f730a15e9.eml",
    # The fifty-ninth (bulk mail with its furniture left out, paired against the brief
    # before): a newsletter's pieces joined so that a line points at the wrong item: spec
    # bullets under the product named before them, "it" or "them" right after an ad ("Go
    # grab it", "Will the public love them?"), an apology whose subject line was left out,
    # a sister site's list read as the lead topic's.
    "corpus/mail/spamassassin/hard-ham-1_00016.47e87c7e7f6c78738ad4fb654dbdaaac.eml",
    "corpus/mail/spamassassin/hard-ham-1_00025.c27f4dd57c84c01305bd30bdee96810b.eml",
    "corpus/mail/spamassassin/hard-ham-1_00049.7ed9039cd4c9cb59c4be39fdeaca0c64.eml",
    "corpus/mail/spamassassin/hard-ham-1_00072.7fdfa76485745886daefc536dc734132.eml",
    "corpus/mail/spamassassin/hard-ham-1_00078.dc9b31aab52ac120742e5b9cc792897d.eml",
    "corpus/mail/spamassassin/hard-ham-1_00086.5c80a9cdcc27b05861d4ccef262ddab7.eml",
    "corpus/mail/spamassassin/hard-ham-1_00091.7c3181e801c15b857b81100fba6f0519.eml",
    "corpus/mail/spamassassin/hard-ham-1_00098.1dcbcaac22d03392c7bcfb4e86bc3c39.eml",
    "corpus/mail/spamassassin/hard-ham-1_00105.e036059691d419bf35813576e85aecce.eml",
    "corpus/mail/spamassassin/hard-ham-1_00124.ac778f6679d31ae64aae6fdb88327fbb.eml",
    "corpus/mail/spamassassin/hard-ham-1_00127.ab907b37736fd663c0db15b5575cc416.eml",
    "corpus/mail/spamassassin/hard-ham-1_00144.02ec2c8f4d1c6b004c9eba1bf124f8e3.eml",
}
