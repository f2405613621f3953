-- A deciding body's attendance (its seats and the members present), and the legal basis a
-- decision cites. Both stay empty until recorded.
ALTER TABLE meetings ADD COLUMN seats BIGINT;
ALTER TABLE meetings ADD COLUMN present BIGINT;
ALTER TABLE decisions ADD COLUMN legal_reference TEXT;
