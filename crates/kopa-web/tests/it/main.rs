//! The web platform's tests: pages, the API, authorisation, bad input, and (when Chromium is
//! configured) real browser runs with accessibility checks.

mod access;
mod administration;
mod api;
mod bad_input;
mod browser;
mod budgets;
mod cooperation;
mod harness;
mod limits;
mod mail;
mod map;
mod one_path;
mod outage;
mod pages;
mod paging;
mod plan;
mod reviews;
mod street_network;
mod tokens;
