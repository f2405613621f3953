-- Lawful cooperation with business: the partner register, the rules, instruments with their
-- records, approvals, declarations and publications, and obligations with inspections.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    beneficial_owners TEXT NOT NULL,
    contact_name TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    UNIQUE (workspace_id, organisation_id)
);

-- The accounts that act for a partner: they see its instruments and offer new ones.
CREATE TABLE partner_accounts (
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (partner_id, user_id)
);

CREATE TABLE tax_checks (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    checked_on TEXT NOT NULL,
    has_debt BOOLEAN NOT NULL,
    note TEXT
);

CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    subject TEXT,
    opened_on TEXT NOT NULL,
    closed_on TEXT
);

-- A workspace's own rules, as JSON; without a row the Latvian defaults apply.
CREATE TABLE cooperation_rules (
    workspace_id INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    rules_json TEXT NOT NULL
);

CREATE TABLE instruments (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    value_cents INTEGER NOT NULL CHECK (value_cents >= 0),
    starts_on TEXT,
    ends_on TEXT,
    status TEXT NOT NULL DEFAULT 'draft',
    third_party_justification TEXT,
    offered BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX instruments_by_workspace ON instruments (workspace_id);

CREATE TABLE instrument_steps (
    id INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_label TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX instrument_steps_by_instrument ON instrument_steps (instrument_id, at);

-- One record per requirement it meets; recording again replaces it (the log keeps both).
CREATE TABLE instrument_evidence (
    instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    requirement TEXT NOT NULL,
    details_json TEXT NOT NULL,
    PRIMARY KEY (instrument_id, requirement)
);

CREATE TABLE instrument_approvals (
    instrument_id INTEGER PRIMARY KEY REFERENCES instruments(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    official_person_id INTEGER NOT NULL REFERENCES people(id),
    official_name TEXT NOT NULL,
    votes_for INTEGER,
    votes_against INTEGER,
    votes_abstain INTEGER,
    meeting_decision_id INTEGER REFERENCES decisions(id)
);

CREATE TABLE instrument_declarations (
    id INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id),
    interest TEXT NOT NULL,
    declared_on TEXT NOT NULL
);

CREATE TABLE instrument_publications (
    instrument_id INTEGER PRIMARY KEY REFERENCES instruments(id) ON DELETE CASCADE,
    published_on TEXT NOT NULL,
    place TEXT NOT NULL
);

CREATE TABLE instrument_documents (
    id INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    reference TEXT NOT NULL,
    dated_on TEXT NOT NULL
);

CREATE TABLE obligations (
    id INTEGER PRIMARY KEY,
    instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    access_hours TEXT,
    maintenance_standard TEXT,
    penalty TEXT,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    inspect_every_months INTEGER NOT NULL CHECK (inspect_every_months > 0)
);

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
    inspected_on TEXT NOT NULL,
    inspector TEXT NOT NULL,
    compliant BOOLEAN NOT NULL,
    notes TEXT,
    remedy TEXT,
    remedy_due TEXT,
    remedied_on TEXT
);
CREATE INDEX inspections_by_obligation ON inspections (obligation_id);

-- Photos taken at inspections, re-encoded on upload like ideas' photos.
CREATE TABLE inspection_photos (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    description TEXT,
    content_type TEXT NOT NULL,
    image BLOB NOT NULL,
    thumbnail BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX inspection_photos_by_inspection ON inspection_photos (inspection_id);
