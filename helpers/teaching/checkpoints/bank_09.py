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
            "On a server, the fixed part of a replay (round trips, opening the query) costs "
            "400 us, and each replayed event costs 8 us. From how many events on do the events "
            "cost at least as much as the fixed part? Answer with a number of events."
        ),
        answer=50,
        unit="events",
        why=(
            "Right: 400 us / 8 us per event = 50 events; at 50 the events cost exactly the "
            "fixed 400 us, beyond it more. Below 50, most of a full replay's time is its fixed "
            "part, which a hybrid load pays too (it streams the events after its snapshot the "
            "same way), so below 50 a snapshot saves less than half of a full replay."
        ),
        known_wrong={
            51: "at 51 the events cost more than the fixed part, but the question asks from "
            "when they cost at least as much: 50 x 8 us is already 400 us.",
            3200: "400 x 8 multiplies a time by a time per event: the units do not give a "
            "number of events. Divide the fixed cost by the cost of one event.",
            0.02: "8 / 400 is the division upside down: it is a fraction of an event, not a "
            "length. Divide the fixed cost by the cost of one event.",
            0: "with 0 events a replay still pays the whole fixed 400 us, and the events cost "
            "nothing: they cannot cost as much yet. Divide the fixed cost by the cost of one "
            "event.",
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
                "SQLite, whose file has one writer at a time anyway. Taking turns explains why "
                "the total does not grow; it does not promise that it stays flat: handing the "
                "lock from one process to the next costs time too, and four processes compete "
                "for the processor, so the total can fall, as it may in the figure.",
            ),
            Choice(
                "b",
                "Optimistic concurrency rejects most of their saves.",
                False,
                "Writers on accounts of their own never conflict: the expected version belongs "
                "to one account, and the line printed after the writers' figure counts 0 "
                "conflicts for writers on accounts of their own.",
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
                "Loads do not take the lock: four writers load side by side, in four "
                "processes, whatever each load replays. What they cannot do side by side is "
                "save, because every save takes the same table lock.",
            ),
        ),
    ),
)
