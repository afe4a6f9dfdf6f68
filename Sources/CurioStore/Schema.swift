/// The schema's history. Append new migrations; never edit or reorder released ones
/// (a test pins their checksums).
enum Schema {
    static let migrator = Migrator(migrations: migrations)
    /// The `tokenize` option of the `items_fts` search table (read back by ``SQLiteStore/fullTextIndex()``).
    static let searchTokenizer = "porter unicode61 remove_diacritics 2"

    static let migrations: [Migration] = [
        Migration(version: 1, name: "collection, events, venues and ingest bookkeeping", sql: """
            -- Items: the canonical JSON (fast reads) plus the columns filters need.
            CREATE TABLE items(
                key              INTEGER PRIMARY KEY,
                id               TEXT NOT NULL UNIQUE,
                source           TEXT NOT NULL,
                title            TEXT NOT NULL,
                start_year       INTEGER,
                end_year         INTEGER,
                is_circa         INTEGER NOT NULL DEFAULT 0,
                medium           TEXT,
                classification   TEXT,
                acquisition_year INTEGER,
                width_mm         REAL,
                height_mm        REAL,
                depth_mm         REAL,
                hash             BLOB NOT NULL,
                json             BLOB NOT NULL
            );
            CREATE INDEX items_source ON items(source, id);
            CREATE INDEX items_dates ON items(start_year, end_year);

            CREATE TABLE agents(
                key        INTEGER PRIMARY KEY,
                id         TEXT NOT NULL UNIQUE,
                name       TEXT NOT NULL,
                sort_name  TEXT,
                gender     TEXT,
                birth_year INTEGER,
                death_year INTEGER,
                url        TEXT,
                hash       BLOB NOT NULL,
                json       BLOB NOT NULL
            );
            CREATE INDEX agents_name ON agents(name COLLATE NOCASE);

            -- Concepts: subjects, movements, eras, … in hierarchies through `broader`.
            CREATE TABLE concepts(
                key        INTEGER PRIMARY KEY,
                id         TEXT NOT NULL UNIQUE,
                scheme     TEXT NOT NULL,
                label      TEXT NOT NULL,
                broader    TEXT,
                level      INTEGER NOT NULL,
                source_uri TEXT,
                hash       BLOB NOT NULL
            );
            CREATE INDEX concepts_broader ON concepts(broader);
            CREATE INDEX concepts_label ON concepts(label COLLATE NOCASE);
            CREATE INDEX concepts_scheme ON concepts(scheme, id);

            CREATE TABLE places(
                key        INTEGER PRIMARY KEY,
                id         TEXT NOT NULL UNIQUE,
                name       TEXT NOT NULL,
                place_name TEXT NOT NULL,
                place_type TEXT,
                country    TEXT
            );

            CREATE TABLE agent_places(
                agent    INTEGER NOT NULL REFERENCES agents(key) ON DELETE CASCADE,
                relation TEXT NOT NULL CHECK (relation IN ('birth', 'death', 'active')),
                ord      INTEGER NOT NULL,
                place    INTEGER NOT NULL REFERENCES places(key),
                PRIMARY KEY (agent, relation, ord)
            ) WITHOUT ROWID;
            CREATE INDEX agent_places_place ON agent_places(place);

            CREATE TABLE agent_movements(
                agent   INTEGER NOT NULL REFERENCES agents(key) ON DELETE CASCADE,
                ord     INTEGER NOT NULL,
                concept TEXT NOT NULL,
                PRIMARY KEY (agent, ord)
            ) WITHOUT ROWID;
            CREATE INDEX agent_movements_concept ON agent_movements(concept);

            -- Links of an item, replaced as a whole when the item changes.
            CREATE TABLE item_makers(
                item  INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                ord   INTEGER NOT NULL,
                agent TEXT NOT NULL,
                name  TEXT NOT NULL,
                role  TEXT NOT NULL,
                PRIMARY KEY (item, ord)
            ) WITHOUT ROWID;
            CREATE INDEX item_makers_agent ON item_makers(agent, item);

            CREATE TABLE item_subjects(
                item    INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                ord     INTEGER NOT NULL,
                concept TEXT NOT NULL,
                PRIMARY KEY (item, ord)
            ) WITHOUT ROWID;
            CREATE INDEX item_subjects_concept ON item_subjects(concept, item);

            CREATE TABLE item_movements(
                item    INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                ord     INTEGER NOT NULL,
                concept TEXT NOT NULL,
                PRIMARY KEY (item, ord)
            ) WITHOUT ROWID;
            CREATE INDEX item_movements_concept ON item_movements(concept, item);

            CREATE TABLE images(
                item     INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                ord      INTEGER NOT NULL,
                kind     TEXT NOT NULL CHECK (kind IN ('file', 'url', 'iiif')),
                location TEXT NOT NULL,
                licence  TEXT,
                PRIMARY KEY (item, ord)
            ) WITHOUT ROWID;

            -- Full-text search (BM25) over the text a visitor would search for; rowid = items.key.
            CREATE VIRTUAL TABLE items_fts USING fts5(
                title, description, makers, subjects, medium,
                tokenize = 'porter unicode61 remove_diacritics 2'
            );

            -- Visitors are pseudonymous ids with running totals; events are append-only facts.
            CREATE TABLE visitors(
                key        INTEGER PRIMARY KEY,
                id         TEXT NOT NULL UNIQUE,
                events     INTEGER NOT NULL DEFAULT 0,
                first_seen REAL,
                last_seen  REAL
            );
            CREATE INDEX visitors_activity ON visitors(events DESC, id);

            -- ts: seconds since 2001-01-01T00:00:00Z (Foundation's reference date, exact round trips).
            CREATE TABLE events(
                seq     INTEGER PRIMARY KEY,
                visitor INTEGER NOT NULL REFERENCES visitors(key),
                item    TEXT NOT NULL,
                kind    TEXT NOT NULL,
                value   REAL,
                ts      REAL NOT NULL,
                session TEXT,
                room    TEXT,
                device  TEXT
            );
            -- An event identical in visitor, time, item, kind, value and session is stored once.
            CREATE UNIQUE INDEX events_identity ON events(visitor, ts, item, kind, ifnull(value, 'none'), ifnull(session, ''));
            CREATE INDEX events_time ON events(ts);
            CREATE INDEX events_item ON events(item);
            CREATE TRIGGER events_append_only BEFORE UPDATE ON events
            BEGIN
                SELECT RAISE(ABORT, 'events are append-only');
            END;

            -- Venues, rooms, walking times and where items hang (filled by `curio venue import`).
            CREATE TABLE venues(
                id            TEXT PRIMARY KEY,
                name          TEXT NOT NULL,
                opening_hours TEXT,
                json          BLOB
            ) WITHOUT ROWID;
            CREATE TABLE rooms(
                venue      TEXT NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
                id         TEXT NOT NULL,
                name       TEXT,
                floor      INTEGER,
                accessible INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (venue, id)
            ) WITHOUT ROWID;
            CREATE TABLE room_adjacency(
                venue        TEXT NOT NULL,
                from_room    TEXT NOT NULL,
                to_room      TEXT NOT NULL,
                walk_seconds REAL NOT NULL CHECK (walk_seconds >= 0),
                PRIMARY KEY (venue, from_room, to_room),
                FOREIGN KEY (venue, from_room) REFERENCES rooms(venue, id) ON DELETE CASCADE,
                FOREIGN KEY (venue, to_room) REFERENCES rooms(venue, id) ON DELETE CASCADE
            ) WITHOUT ROWID;
            CREATE TABLE item_placements(
                venue    TEXT NOT NULL,
                item     TEXT NOT NULL,
                room     TEXT NOT NULL,
                position TEXT,
                PRIMARY KEY (venue, item),
                FOREIGN KEY (venue, room) REFERENCES rooms(venue, id) ON DELETE CASCADE
            ) WITHOUT ROWID;
            CREATE INDEX item_placements_room ON item_placements(venue, room);

            -- Input files whose records were committed, with their content hash.
            CREATE TABLE ingested_files(
                path        TEXT PRIMARY KEY,
                sha256      TEXT NOT NULL,
                summary     TEXT NOT NULL,
                ingested_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        Migration(version: 2, name: "item vectors (text and image embeddings)", sql: """
            -- One row per model that has vectors; `revision` grows with every write so caches can tell.
            CREATE TABLE vector_models(
                model_id   TEXT PRIMARY KEY,
                dimension  INTEGER NOT NULL CHECK (dimension > 0),
                revision   INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            -- vector: little-endian Float32 × dimension; content_hash: SHA-256 of what it was computed from.
            CREATE TABLE item_vectors(
                model_id     TEXT NOT NULL REFERENCES vector_models(model_id) ON DELETE CASCADE,
                item         INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                content_hash TEXT NOT NULL,
                vector       BLOB NOT NULL,
                PRIMARY KEY (model_id, item)
            ) WITHOUT ROWID;
            CREATE INDEX item_vectors_item ON item_vectors(item);
            """),
        Migration(version: 3, name: "venue import time, conversations, tours and next-exhibit models", sql: """
            -- The venue imported last is the default one.
            ALTER TABLE venues ADD COLUMN imported_at REAL;

            -- Conversations of the guide: the whole dialogue state as JSON, so a conversation survives a restart.
            CREATE TABLE conversations(
                id         TEXT PRIMARY KEY,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                json       BLOB NOT NULL
            ) WITHOUT ROWID;

            -- Planned tours, kept until they expire so that progress can be posted against them.
            CREATE TABLE tours(
                id         TEXT PRIMARY KEY,
                venue      TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL,
                json       BLOB NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX tours_expiry ON tours(expires_at);

            -- Trained next-exhibit models (`curio next train`), by name.
            CREATE TABLE next_exhibit_models(
                name       TEXT PRIMARY KEY,
                kind       TEXT NOT NULL,
                venue      TEXT,
                trained_at REAL NOT NULL,
                summary    TEXT NOT NULL,
                data       BLOB NOT NULL
            ) WITHOUT ROWID;
            """),
        Migration(version: 4, name: "visual descriptors of item images", sql: """
            -- Visual descriptors of each item's image, computed by `curio embed` in the same pass as the image
            -- embedding. content_hash: SHA-256 of the image file; json: the full descriptors (palette with names,
            -- hex, CIELAB and shares); the scalar columns repeat what filters need.
            CREATE TABLE item_visuals(
                item              INTEGER PRIMARY KEY REFERENCES items(key) ON DELETE CASCADE,
                content_hash      TEXT NOT NULL,
                algorithm_version INTEGER NOT NULL,
                image             TEXT NOT NULL,
                brightness        REAL NOT NULL,
                contrast          REAL NOT NULL,
                colourfulness     REAL NOT NULL,
                updated_at        TEXT NOT NULL,
                json              BLOB NOT NULL
            );
            CREATE INDEX item_visuals_brightness ON item_visuals(brightness);
            -- Total palette share of each colour name per item, for colour filters.
            CREATE TABLE item_colours(
                item  INTEGER NOT NULL REFERENCES items(key) ON DELETE CASCADE,
                name  TEXT NOT NULL,
                share REAL NOT NULL,
                PRIMARY KEY (item, name)
            ) WITHOUT ROWID;
            CREATE INDEX item_colours_name ON item_colours(name, share);
            """),
    ]
}
