-- One code per value, the same in the database and in JSON.
UPDATE instruments SET kind = 'public_private_partnership' WHERE kind = 'ppp';
UPDATE instrument_approvals SET body = 'official' WHERE body = 'authorised_official';

-- Counting a meeting's decisions, and a meeting's registrations by status, without a scan.
CREATE INDEX decisions_by_meeting ON decisions (meeting_id);
CREATE INDEX registrations_by_meeting ON registrations (meeting_id, status);
