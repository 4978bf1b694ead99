"""Checkpoints of notebook 09: the same trade-offs on a database server."""

from helpers.teaching.checkpoints.questions import Choice, MultipleChoice, Numeric

QUESTIONS = (
    MultipleChoice(
        id="09.1",
        prompt=(
            "The PostgreSQL engine stores each event's JSON payload in a TEXT column, not in "
            "PostgreSQL's JSONB type. Why?"
        ),
        choices=(
            Choice(
                "a",
                "JSONB would store a normalised copy (keys reordered, spaces dropped), so the "
                "bytes read back would not be the bytes the codec wrote.",
                True,
                "Right: the codec owns the format and the database keeps its bytes, so a row "
                "is the same on both engines and a damaged row can still be stored and named.",
            ),
            Choice(
                "b",
                "JSONB would refuse the payloads the codec writes.",
                False,
                "The codec writes valid JSON, which JSONB accepts; the trouble is that JSONB "
                "keeps a rewritten copy of it, not the text itself.",
            ),
            Choice(
                "c",
                "SQLite has no JSONB type, and both engines must use the same column types.",
                False,
                "The engines may use different column types (INTEGER is BIGINT for the "
                "position, say); what must match is the bytes of each stored value.",
            ),
            Choice(
                "d",
                "A JSONB column cannot be indexed.",
                False,
                "JSONB can be indexed; the pack never searches inside payloads, so indexing "
                "them is not the question. Keeping the written bytes is.",
            ),
        ),
    ),
    Numeric(
        id="09.2",
        prompt=(
            "On a server, the fixed part of a replay (round trips, setting up the query) costs "
            "about 400 us, and each replayed event costs about 8 us. From how many events on "
            "do the events themselves cost more than the fixed part?"
        ),
        answer=50,
        unit="events",
        tolerance=0.5,
        why=(
            "Right: 400 us / 8 us per event = 50 events. Below that a replay costs about what "
            "a snapshot load costs, because both are mostly the fixed part."
        ),
        known_wrong={
            3200: "400 x 8 multiplies a time by a time per event: the units do not give a "
            "number of events. Divide the fixed cost by the cost of one event.",
            0.02: "8 / 400 is the division upside down: it is a fraction of an event, not a "
            "length. Divide the fixed cost by the cost of one event.",
            408: "400 + 8 is the time to replay one event, not a history length: ask how many "
            "8 us events fit into 400 us.",
        },
        otherwise="not this number: divide the fixed part by the cost of one event.",
    ),
    MultipleChoice(
        id="09.3",
        prompt=(
            "Four writer processes each save commands to an account of their own in the "
            "PostgreSQL store. Why do they not save four times as many commands per second as "
            "one writer does?"
        ),
        choices=(
            Choice(
                "a",
                "Every save takes the same table lock, so that positions in the global feed "
                "commit in order: saves (and their commits) run one after another, and only "
                "the loads run side by side.",
                True,
                "Right: a gap-free global order costs write parallelism, on PostgreSQL as on "
                "SQLite, whose file has one writer at a time anyway.",
            ),
            Choice(
                "b",
                "Optimistic concurrency rejects most of their saves.",
                False,
                "Writers on accounts of their own never conflict: the expected version belongs "
                "to one account, and the table shows 0 conflicts for distinct accounts.",
            ),
            Choice(
                "c",
                "PostgreSQL serves one connection at a time.",
                False,
                "A server serves many connections at once; here readers never wait for a "
                "writer. It is the pack's lock for the feed that makes writers take turns.",
            ),
            Choice(
                "d",
                "Each writer replays its account's whole history before every save.",
                False,
                "The writers load through a hybrid store with a snapshot every 20 events, so "
                "a load replays at most 19 events, however long the account has been written.",
            ),
        ),
    ),
)
