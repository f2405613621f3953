//! Lawful cooperation with business: the partner register, the instruments a contribution
//! takes, the rules and gates each must pass, publication deadlines in working days, and
//! the obligations and inspections that follow.

pub mod calendar;
pub mod file;
pub mod instrument;
pub mod obligation;
pub mod pack;
pub mod partner;
pub mod rules;
