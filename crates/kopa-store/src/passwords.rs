//! Password hashing with argon2, a few at a time and in memory kept for the purpose.
//!
//! Each hash fills about 19 MiB. Allocated afresh for every check, the allocator keeps freed
//! blocks of that size in each thread's heap instead of giving them back, and a flood of
//! sign-ins grows the server by gigabytes. So at most [`AT_ONCE`] hashes run, each in one of
//! at most [`AT_ONCE`] working memories that are used again.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::{Result, StoreError, Turns};

/// How many password hashes run at once; past this they wait their turn, 10 s at most.
const AT_ONCE: usize = 4;
static TURNS: Turns = Turns::new(AT_ONCE, Duration::from_secs(10));
/// Working memories not in use just now; never more than [`AT_ONCE`].
static MEMORIES: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// A hash that no known password gives, to check against when the e-mail is unknown, so that
/// a sign-in takes as long whether or not the account exists.
pub(crate) const DECOY: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2lnbi1pbi1kZWNveS1zYWx0$JnlZkHEYJvHCJ3wgO8nMCQOxYMM0uFsINkCUbJwTa3A";

/// Hashes a new password in its turn.
pub(crate) async fn hash(password: String) -> Result<String> {
    TURNS.run("error-password", move || hash_now(&password)).await?
}

/// Whether `password` is the one `stored` was made from, checked in its turn; `None` when
/// `stored` is not an argon2 hash this Kopa can read.
pub(crate) async fn check(password: String, stored: String) -> Result<Option<bool>> {
    TURNS.run("error-password", move || check_now(&password, &stored)).await
}

/// Runs argon2 as `context` says, in a working memory used again.
fn fill(context: &Argon2, password: &[u8], salt: &[u8], out: &mut [u8]) -> argon2::Result<()> {
    let taken = MEMORIES.lock().unwrap_or_else(PoisonError::into_inner).pop();
    let mut memory = taken.unwrap_or_default();
    let blocks = context.params().block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let done = context.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks]);
    let mut memories = MEMORIES.lock().unwrap_or_else(PoisonError::into_inner);
    if memories.len() < AT_ONCE {
        memories.push(memory);
    }
    done
}

fn hash_now(password: &str) -> Result<String> {
    let refused = |_| StoreError::Refused("error-password");
    let salt = rand::random::<[u8; 16]>();
    let context = Argon2::default();
    let mut out = [0; Params::DEFAULT_OUTPUT_LEN];
    fill(&context, password.as_bytes(), &salt, &mut out).map_err(refused)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| StoreError::Refused("error-password"))?;
    let hash = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: context
            .params()
            .try_into()
            .map_err(|_| StoreError::Refused("error-password"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|_| StoreError::Refused("error-password"))?),
    };
    Ok(hash.to_string())
}

fn check_now(password: &str, stored: &str) -> Option<bool> {
    let parsed = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = parsed.version.map_or(Ok(Version::default()), Version::try_from).ok()?;
    let params = Params::try_from(&parsed).ok()?;
    let (salt, expected) = (parsed.salt?, parsed.hash?);
    let mut salt_bytes = [0; 64];
    let salt = salt.decode_b64(&mut salt_bytes).ok()?;
    let mut out = vec![0; expected.len()];
    fill(
        &Argon2::new(algorithm, version, params),
        password.as_bytes(),
        salt,
        &mut out,
    )
    .ok()?;
    // Output compares in constant time.
    Some(Output::new(&out).ok()? == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[test]
    fn hashes_read_both_ways_with_the_argon2_crate() {
        let ours = hash_now("right horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"right horse battery", &parsed)
                .is_ok()
        );
        assert!(Argon2::default().verify_password(b"wrong horse", &parsed).is_err());
        let salt = SaltString::encode_b64(b"sixteen bytes!!!").unwrap();
        let theirs = Argon2::default().hash_password(b"staple", &salt).unwrap().to_string();
        assert_eq!(check_now("staple", &theirs), Some(true));
        assert_eq!(check_now("stapler", &theirs), Some(false));
        assert_eq!(check_now("anything", DECOY), Some(false), "the decoy reads as a hash");
    }

    #[test]
    fn a_stored_value_that_is_no_argon2_hash_is_not_read_as_wrong() {
        for stored in [
            "",
            "plain text",
            "$2b$12$abcdefghijklmnopqrstuv",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
        ] {
            assert_eq!(check_now("x", stored), None, "{stored:?}");
        }
    }

    #[test]
    fn no_more_working_memories_are_kept_than_hashes_run_at_once() {
        let threads: Vec<_> = (0..12)
            .map(|n| std::thread::spawn(move || hash_now(&format!("p{n}"))))
            .collect();
        for thread in threads {
            thread.join().unwrap().unwrap();
        }
        let memories = MEMORIES.lock().unwrap();
        assert!((1..=AT_ONCE).contains(&memories.len()), "{} kept", memories.len());
        assert!(memories.iter().all(|m| m.len() == Params::DEFAULT_M_COST as usize));
    }
}
