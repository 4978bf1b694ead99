"""Checkpoints for notebook 02, snapshots: what the row knows, the lost update, when to choose."""

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice

QUESTIONS = (
    MultipleChoice(
        "02.1",
        "The row for acc-1 says version 4. What does the database know about event 3, the rent?",
        (
            Choice(
                "a",
                "Its amount and reference, inside the row's JSON.",
                False,
                "a snapshot is not a backup of the history: the JSON holds the state after all "
                "four events, not the events themselves.",
            ),
            Choice(
                "b",
                "Only that it happened: the version counts events, and the row keeps none of them.",
                True,
                "right: version 4 says that four things happened; nothing in the row says which.",
            ),
            Choice(
                "c",
                "Its details are still in bank.db-wal, which keeps every commit.",
                False,
                "the write-ahead log holds recent page changes only until a checkpoint copies "
                "them into bank.db. It is not a history, and the events were never written.",
            ),
            Choice(
                "d",
                "Nothing at all, not even that it happened.",
                False,
                "the version does tell you something: four events happened. What the row cannot "
                "tell you is which four.",
            ),
        ),
    ),
    MultipleChoice(
        "02.2",
        "Why was teller B's save refused?",
        (
            Choice(
                "a",
                "Teller B's withdrawal would have overdrawn the account.",
                False,
                "the save does not run the account's rules; it compares versions. The overdraft "
                "rule caught the problem only after teller B reloaded and tried again.",
            ),
            Choice(
                "b",
                "The row had moved on from version 4, the version teller B's copy was loaded at.",
                True,
                "right: the save expected to find version 4 and found 5, so someone had saved "
                "since teller B loaded.",
            ),
            Choice(
                "c",
                "Two saves of one account within the same minute are refused.",
                False,
                "time plays no part: the save compares versions, so two saves a second apart "
                "both succeed if each starts from the version that is stored.",
            ),
            Choice(
                "d",
                "Teller A held a lock on the account from load to save.",
                False,
                "nothing is locked while the tellers work; that is what optimistic means. The "
                "conflict is found at the moment of saving.",
            ),
        ),
    ),
    MultipleChoice(
        "02.3",
        "Which of these would you store as a snapshot alone, with no history?",
        (
            Choice(
                "a",
                "A user's display settings: language, theme and time zone.",
                True,
                "right: people ask what the settings are now; a lost row costs the user a "
                "minute, and no auditor asks which theme was chosen last spring.",
            ),
            Choice(
                "b",
                "A bank account's balance.",
                False,
                "customers ask why the balance is what it is, and auditors ask for every "
                "movement: for money, history is a real requirement.",
            ),
            Choice(
                "c",
                "A warehouse's stock count, which auditors reconcile against every delivery.",
                False,
                "auditors who reconcile against deliveries ask how the count came about: that "
                "is a question about the past, which a snapshot cannot answer.",
            ),
            Choice(
                "d",
                "Any aggregate whose load must be fast.",
                False,
                "a fast load does not decide it on its own: a hybrid (notebook 04) loads fast "
                "and keeps the history. Snapshots fit when nobody needs the past.",
            ),
        ),
    ),
)
