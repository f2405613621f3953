//! Kopa's domain: the types and rules of the local action group, its meetings and decisions,
//! roles and the audit chain. Nothing here does IO, so every rule is testable on its own.

pub mod access;
pub mod audit;
pub mod cooperation;
pub mod group;
pub mod idea;
pub mod initiative;
pub mod map;
pub mod meeting;
pub mod money;
pub mod notification;
pub mod plan;
pub mod search;
pub mod street_network;
pub mod token;
pub mod validation;
pub mod workspace;

pub use access::{Action, Role};
pub use validation::{FieldError, Invalid};
