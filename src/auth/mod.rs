//! Authentication (who is calling) and the policy (what they may see and do).

pub mod password;
pub mod policy;
pub mod tokens;

pub use policy::Actor;
