"""The schema, as append-only sqlite_utils migrations.

Never edit a migration that has shipped: add a new one. docs/schema.md
describes the tables for people who query their own history.
"""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("trainer")


@migrations()
def m001_initial(db):
    db.execute(
        """
        CREATE TABLE decks (
            path TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            card_count INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE cards (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('contrast', 'pair', 'ladder', 'faq')),
            deck TEXT NOT NULL,
            path TEXT NOT NULL,
            section TEXT NOT NULL DEFAULT '',
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            extra TEXT NOT NULL DEFAULT '{}',
            sibling TEXT,
            source_line INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'retired', 'suspended')),
            buried_until TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX cards_status_due ON cards (status, due)")
    db.execute("CREATE INDEX cards_deck ON cards (deck)")
    db.execute("CREATE INDEX cards_path ON cards (path)")
    db.execute("CREATE INDEX cards_sibling ON cards (sibling)")
    db.execute(
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_key TEXT NOT NULL REFERENCES cards (key),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_at TEXT NOT NULL,
            duration_ms INTEGER,
            state TEXT NOT NULL
                CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            elapsed_days REAL,
            scheduled_days REAL,
            retrievability REAL,
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX reviews_card_time ON reviews (card_key, reviewed_at)")
    db.execute("CREATE INDEX reviews_time ON reviews (reviewed_at)")


@migrations()
def m002_review_prediction_indexes(db):
    # `trainer stats` compares predicted with actual recall over the whole log;
    # covering indexes let it read these two small columns instead of every
    # row's state JSON (0.5 s -> 0.1 s on a million reviews).
    db.execute(
        "CREATE INDEX reviews_prediction ON reviews (retrievability, rating) WHERE retrievability IS NOT NULL"
    )
    db.execute("CREATE INDEX reviews_card_prediction ON reviews (card_key, retrievability, rating)")


@migrations()
def m003_new_card_order_index(db):
    # Today's new cards are read in deck order; without this index every
    # answer sorted all active cards (8 ms on 10,000 cards, now well under 1).
    # Partial: only new, active cards are ever read in deck order.
    db.execute("CREATE INDEX cards_new_order ON cards (path, source_line) WHERE state = 'new' AND status = 'active'")





_MS = "CAST(round((julianday({col}) - 2440587.5) * 86400000) AS INTEGER)"
_STATE_CODE = "CASE {col} WHEN 'new' THEN 0 WHEN 'learning' THEN 1 WHEN 'review' THEN 2 ELSE 3 END"


@migrations()
def m004_compact_log(db):
    """Rebuild cards and reviews for scale and an exact, replayable log.

    - cards get an integer id (reviews point at it: 8 bytes, not a 20-char
      key, and a card can change key without touching its reviews); times
      become integer milliseconds; the CHECK on `kind` goes, so a new card
      kind needs no migration.
    - reviews keep only the log (card, time, kind, rating, duration) and the
      few columns stats read, which trainer.history derives by replay. The
      before/after JSON goes: replaying the log rebuilds any state. A review's
      global id is this database's random `device` id (in meta) and its row
      id, which AUTOINCREMENT never hands out twice, not even after an undo:
      unique across machines at no cost per row.
    - The derived columns are filled by a replay with the user's settings on
      the next start (meta `rebuild` = 'needed'): the migration cannot know
      the settings, and the new study-day rules change every replayed value.
    """
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """
        CREATE TABLE cards_v4 (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            deck TEXT NOT NULL,
            path TEXT NOT NULL,
            section TEXT NOT NULL DEFAULT '',
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            extra TEXT NOT NULL DEFAULT '{}',
            sibling TEXT,
            source_line INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'retired', 'suspended')),
            buried_until INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new', 'learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    copied = (
        "key, kind, deck, path, section, prompt, answer, extra, sibling, source_line, status, "
        "state, step, stability, difficulty, reps, lapses"
    )
    times = ("buried_until", "due", "last_review", "created_at", "updated_at")
    db.execute(
        f"INSERT INTO cards_v4 ({copied}, {', '.join(times)}) "
        f"SELECT {copied}, {', '.join(_MS.format(col=col) for col in times)} FROM cards ORDER BY rowid"
    )
    db.execute(
        """
        CREATE TABLE reviews_v4 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            -- cards_v4 is renamed to cards below, and SQLite rewrites this reference with it.
            card_id INTEGER NOT NULL REFERENCES cards_v4 (id),
            at INTEGER NOT NULL,
            kind INTEGER NOT NULL DEFAULT 0,
            rating INTEGER CHECK (rating BETWEEN 1 AND 4),
            duration_ms INTEGER,
            state INTEGER NOT NULL DEFAULT 0,
            elapsed_days INTEGER,
            scheduled_days INTEGER,
            recall REAL
        )
        """
    )
    db.execute(
        "INSERT INTO reviews_v4 (id, card_id, at, kind, rating, duration_ms, state) "
        f"SELECT r.id, c.id, {_MS.format(col='r.reviewed_at')}, 0, r.rating, r.duration_ms, "
        f"{_STATE_CODE.format(col='r.state')} FROM reviews r JOIN cards_v4 c ON c.key = r.card_key ORDER BY r.id"
    )
    db.execute("DROP TABLE reviews")
    db.execute("DROP TABLE cards")
    db.execute("ALTER TABLE cards_v4 RENAME TO cards")
    db.execute("ALTER TABLE reviews_v4 RENAME TO reviews")
    # The queue: active learning and review cards by due time. It covers the
    # ranking of due reviews by recall (stability, last review) and the day's
    # checks (burial, sibling), so ranking ninety thousand due cards reads
    # this index alone.
    db.execute(
        "CREATE INDEX cards_state_due ON cards (state, due, buried_until, stability, last_review, sibling) "
        "WHERE status = 'active'"
    )
    # Partial: only new, active cards are ever read in deck order.
    db.execute("CREATE INDEX cards_new_order ON cards (path, source_line) WHERE state = 'new' AND status = 'active'")
    # One deck's queue, and every deck's counts in one pass.
    db.execute("CREATE INDEX cards_deck_state ON cards (deck, status, state, due, buried_until)")
    db.execute("CREATE INDEX cards_path ON cards (path)")
    db.execute("CREATE INDEX reviews_card_at ON reviews (card_id, at)")
    db.execute("CREATE INDEX reviews_at ON reviews (at)")
    db.execute("INSERT INTO meta (key, value) VALUES ('device', lower(hex(randomblob(16))))")
    db.execute("INSERT INTO meta (key, value) SELECT 'rebuild', 'needed' WHERE EXISTS (SELECT 1 FROM reviews)")
    # A re-import recognises an unchanged file by size and time, without reading it.
    db.execute("ALTER TABLE decks ADD COLUMN size INTEGER")
    db.execute("ALTER TABLE decks ADD COLUMN mtime_ns INTEGER")


@migrations()
def m005_drill_answers(db):
    # What a drill's answer holds beyond its rating: how long the answer took,
    # how many rubric items were met, and the notes typed while answering.
    # One row per review of a drill or follow-up; it goes with its review on undo.
    db.execute(
        """
        CREATE TABLE drill_answers (
            review_id INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
            time_ms INTEGER NOT NULL,
            ticked INTEGER,
            total INTEGER,
            notes TEXT
        )
        """
    )
    # The log as people read it, for their own queries (docs/schema.md):
    # names instead of codes, times as UTC text. A view costs nothing stored.
    db.execute(
        """
        CREATE VIEW review_log AS
        SELECT r.id, c.key AS card_key, c.deck, c.kind AS card_kind,
               strftime('%Y-%m-%dT%H:%M:%fZ', r.at / 1000.0, 'unixepoch') AS reviewed_at,
               CASE r.kind WHEN 0 THEN 'answer' WHEN 1 THEN 'forget' ELSE 'reschedule' END AS event,
               r.rating, r.duration_ms,
               CASE r.state WHEN 0 THEN 'new' WHEN 1 THEN 'learning' WHEN 2 THEN 'review' ELSE 'relearning' END
                   AS state_before,
               r.elapsed_days, r.scheduled_days, r.recall
        FROM reviews r JOIN cards c ON c.id = r.card_id
        """
    )


@migrations()
def m006_practice_and_plans(db):
    """Practice answers, kept apart from the review log; interview-day plans.

    A practice answer never touches a card's schedule and is never
    replayed: it has its own table, so `trainer check`, replay and every
    statistic of the log stay as they were. A plan lists which card to
    review on which study day (trainer.days.StudyCalendar numbers) before
    its date; the daily queue reads the day's rows (trainer.today).
    """
    db.execute(
        """
        CREATE TABLE practice (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards (id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            at INTEGER NOT NULL,
            duration_ms INTEGER
        )
        """
    )
    db.execute("CREATE INDEX practice_at ON practice (at)")
    db.execute("CREATE INDEX practice_card ON practice (card_id)")
    db.execute(
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            on_day INTEGER NOT NULL,
            target REAL NOT NULL,
            minutes REAL NOT NULL,
            deck TEXT,
            price REAL NOT NULL,
            created_at INTEGER NOT NULL,
            fitted_day INTEGER NOT NULL,
            expected REAL NOT NULL,
            unplanned REAL NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE plan_reviews (
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            day INTEGER NOT NULL,
            card_id INTEGER NOT NULL REFERENCES cards (id),
            position INTEGER NOT NULL,
            PRIMARY KEY (plan_id, day, card_id)
        ) WITHOUT ROWID
        """
    )
    # "Is this card in today's plan?" for the review screen, and a card's plan rows.
    db.execute("CREATE INDEX plan_reviews_card ON plan_reviews (card_id, day)")


@migrations()
def m007_followed_paths(db):
    # The files and folders the user imported: a bare `trainer import` and the
    # app's start import them again, so the cards stay in step with the files.
    db.execute("CREATE TABLE followed (path TEXT PRIMARY KEY, added_at TEXT NOT NULL)")
    # A deck file whose cards another file now holds (a bundled deck the user
    # took an editable copy of): an import of its folder passes it by, so the
    # copy's cards are neither claimed twice nor brought back from the original.
    db.execute(
        "CREATE TABLE replaced_decks (path TEXT PRIMARY KEY, by_path TEXT NOT NULL, replaced_at TEXT NOT NULL)"
    )


@migrations()
def m008_stats_indexes(db):
    # Lapsed cards, most lapses first, for the hardest cards and the leeches
    # (partial: a card that never lapsed costs nothing).
    db.execute("CREATE INDEX cards_lapsed ON cards (lapses) WHERE lapses > 0")
    # The few events that are not answers (forget, set due), so counting the
    # answers is counting every event less these.
    db.execute("CREATE INDEX reviews_events ON reviews (card_id) WHERE kind != 0")


KNOWN_MIGRATIONS = (
    "m001_initial",
    "m002_review_prediction_indexes",
    "m003_new_card_order_index",
    "m004_compact_log",
    "m005_drill_answers",
    "m006_practice_and_plans",
    "m007_followed_paths",
    "m008_stats_indexes",
)
