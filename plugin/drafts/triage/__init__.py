"""Mail triage: what kind of mail a message is (person-to-person, newsletter or list,
notification, receipt, marketing, cold outreach).

No draft kind of its own: the digest sorts by it and the summary family's asks use it.
``categories`` refines the header-only category of ``connectors.mailcategory`` with a
logistic regression over MiniLM embeddings (plain weights in ``categories_weights.json``);
``training`` retrains them from the labels that ``labels`` reads.
"""
