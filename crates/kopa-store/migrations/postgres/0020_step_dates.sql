-- The day an instrument's step took effect (a decision's date, the day of signing), beside
-- the time it was recorded. Steps recorded before stay without one.
ALTER TABLE instrument_steps ADD COLUMN took_effect_on DATE;
