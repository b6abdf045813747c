//! Who is who: roles of users, kinds of organisations and debtors.

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (database) form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored form.
            pub fn parse(s: &str) -> Result<Self, $crate::domain::Invalid> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::domain::Invalid::new(format!(
                        "unknown {} « {other} »", stringify!($name).to_lowercase()
                    ))),
                }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// The role of a user (DESIGN.md §1).
    Role {
        Admin => "admin",
        Agent => "agent",
        Lawyer => "lawyer",
        Creditor => "creditor",
    }
);

text_enum!(
    /// An organisation is the agency itself or one of its creditor clients.
    OrgKind {
        Agency => "agency",
        Creditor => "creditor",
    }
);

text_enum!(
    /// A debtor is a company (with a SIREN) or an individual.
    DebtorKind {
        Company => "company",
        Individual => "individual",
    }
);

impl Role {
    /// Staff of the agency work cases; creditors only see their own.
    pub fn is_agency_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }
}
