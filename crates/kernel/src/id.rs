//! Typed identifiers. Every key is a UUIDv7: time-ordered for index locality,
//! and unlike a counter it does not reveal how many records another centre has.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// A fresh UUIDv7.
pub fn new_uuid() -> Uuid {
    Uuid::now_v7()
}

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        define_id!($(#[$meta])* pub $name);
    };
    ($(#[$meta:meta])* private $name:ident) => {
        define_id!(@define $(#[$meta])* () $name);
    };
    ($(#[$meta:meta])* pub $name:ident) => {
        define_id!(@define $(#[$meta])* (pub) $name);
    };
    (@define $(#[$meta:meta])* ($($vis:tt)*) $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name($($vis)* Uuid);

        impl $name {
            /// A new, never used id.
            pub fn new() -> Self {
                Self(new_uuid())
            }

            /// The underlying UUID.
            pub fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

define_id!(
    /// Identifies a centre (a tenant). Its UUID is private: a centre id is
    /// made from a row read from the database (`CentreId::from`), and code
    /// holding one passes it on whole rather than as a bare UUID.
    ///
    /// ```compile_fail
    /// let centre = integra_kernel::CentreId(uuid::Uuid::nil());
    /// ```
    private CentreId
);
define_id!(
    /// Identifies a user account (staff, ministry officer, platform admin).
    UserId
);
define_id!(
    /// Identifies a branch of a centre.
    BranchId
);
define_id!(
    /// Identifies a client of a centre.
    ClientId
);
define_id!(
    /// Identifies a funding project of a centre.
    FundingProjectId
);

/// Parses an id sent by a client, naming the input field on failure.
pub fn parse_id<T: FromStr>(field: &str, raw: &str) -> Result<T, crate::AppError> {
    raw.trim()
        .parse()
        .map_err(|_| crate::AppError::bad_input(field, "is not a valid id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_v7() {
        let a = CentreId::new();
        let b = CentreId::new();
        assert_eq!(a.uuid().get_version_num(), 7);
        assert!(a <= b);
    }

    #[test]
    fn parse_id_names_the_field() {
        let err = parse_id::<CentreId>("centreId", "nope").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("centreId: is not a valid id".to_owned())
        );
    }
}
