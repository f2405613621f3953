-- The network, workspaces, accounts, the local action group, meetings and the audit log.
CREATE TABLE networks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    programme TEXT NOT NULL,
    lead_expert TEXT,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL
);

CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    network_id INTEGER NOT NULL REFERENCES networks(id),
    slug TEXT NOT NULL UNIQUE,
    municipality TEXT NOT NULL,
    country TEXT NOT NULL,
    policy_challenge TEXT,
    is_lead_partner BOOLEAN NOT NULL DEFAULT 0,
    default_locale TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT NOT NULL DEFAULT 'Europe/Riga'
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE workspace_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, workspace_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    registration_number TEXT,
    sector TEXT NOT NULL,
    website TEXT,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, name)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT,
    organisation_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    position TEXT,
    is_example BOOLEAN NOT NULL DEFAULT 0
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    role TEXT NOT NULL,
    from_date TEXT NOT NULL,
    until_date TEXT
);

CREATE TABLE stakeholders (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    power INTEGER NOT NULL CHECK (power BETWEEN 1 AND 5),
    interest INTEGER NOT NULL CHECK (interest BETWEEN 1 AND 5),
    strategy TEXT NOT NULL,
    note TEXT,
    UNIQUE (workspace_id, organisation_id)
);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    mode TEXT NOT NULL,
    link TEXT,
    place TEXT,
    capacity INTEGER,
    registration_open BOOLEAN NOT NULL DEFAULT 0,
    published BOOLEAN NOT NULL DEFAULT 0,
    minutes TEXT,
    is_example BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX meetings_by_workspace ON meetings (workspace_id, starts_at);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES agenda_items(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    presenter TEXT,
    duration_minutes INTEGER
);
CREATE INDEX agenda_by_meeting ON agenda_items (meeting_id);

CREATE TABLE speakers (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    affiliation TEXT,
    topic TEXT,
    position INTEGER NOT NULL
);

CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    attended BOOLEAN NOT NULL DEFAULT 0,
    registered_at TEXT NOT NULL,
    UNIQUE (meeting_id, email)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    votes_for INTEGER NOT NULL CHECK (votes_for >= 0),
    votes_against INTEGER NOT NULL CHECK (votes_against >= 0),
    votes_abstain INTEGER NOT NULL CHECK (votes_abstain >= 0)
);

-- No foreign keys: the log outlives what it describes.
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    workspace_id INTEGER,
    actor_user_id INTEGER,
    actor_label TEXT NOT NULL,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_workspace ON audit_events (workspace_id, seq);
