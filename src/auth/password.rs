//! Password hashing with argon2id. Hashing and verification are slow on purpose: callers run
//! them off the async workers (`web::block`).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::config::HashCost;
use crate::error::{AppError, AppResult};

fn hasher(cost: HashCost) -> AppResult<Argon2<'static>> {
    // Production: OWASP's argon2id baseline (19 MiB, 2 passes). Tests: same algorithm, less
    // memory, so the suite stays fast.
    let params = match cost {
        HashCost::Production => Params::new(19 * 1024, 2, 1, None),
        HashCost::Test => Params::new(1024, 1, 1, None),
    }
    .map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
pub fn hash(password: &str, cost: HashCost) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher(cost)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Checks a password against a stored PHC hash; the parameters come from the hash itself.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Rules for a password chosen by a person.
pub fn check_strength(password: &str) -> AppResult<()> {
    if password.chars().count() < 12 {
        return Err(AppError::validation(
            "password",
            "a password has at least 12 characters",
        ));
    }
    if password.len() > 256 {
        return Err(AppError::validation(
            "password",
            "a password has at most 256 bytes",
        ));
    }
    Ok(())
}

/// A readable random password for accounts created from the command line.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let chunk = |rng: &mut rand::rngs::ThreadRng| -> String {
        (0..5)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect()
    };
    format!(
        "{}-{}-{}-{}",
        chunk(&mut rng),
        chunk(&mut rng),
        chunk(&mut rng),
        chunk(&mut rng)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery", HashCost::Test).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse battery!", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_long_enough() {
        let p = generate();
        assert!(check_strength(&p).is_ok());
        assert_ne!(p, generate());
    }
}
