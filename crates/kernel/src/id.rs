//! Typed identifiers. Every key is a UUIDv7: time-ordered for index locality,
//! and unlike a counter it does not reveal how many records another centre has.

use std::str::FromStr;

#[doc(hidden)]
pub use sea_orm;
#[doc(hidden)]
pub use serde;
pub use uuid::{Error as UuidError, Uuid};

/// A fresh UUIDv7.
pub fn new_uuid() -> Uuid {
    Uuid::now_v7()
}

/// Defines a typed id: a UUID newtype that parses, prints and serialises as
/// its UUID and converts to and from it. `define_id!(/// doc \n Name)` makes
/// the UUID public to the crate's code through `From`; `private Name` keeps
/// the field private as well. Every context defines the ids of its own
/// records with it (`integra_kernel::define_id!`).
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident) => {
        $crate::define_id!($(#[$meta])* pub $name);
    };
    ($(#[$meta:meta])* private $name:ident) => {
        $crate::define_id!(@define $(#[$meta])* () $name);
    };
    ($(#[$meta:meta])* pub $name:ident) => {
        $crate::define_id!(@define $(#[$meta])* (pub) $name);
    };
    (@define $(#[$meta:meta])* ($($vis:tt)*) $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name($($vis)* $crate::id::Uuid);

        impl $name {
            /// A new, never used id.
            pub fn new() -> Self {
                Self($crate::id::new_uuid())
            }

            /// The underlying UUID.
            pub fn uuid(self) -> $crate::id::Uuid {
                self.0
            }
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::id::UuidError;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::id::Uuid::parse_str(s).map(Self)
            }
        }

        impl ::std::convert::From<$crate::id::Uuid> for $name {
            fn from(u: $crate::id::Uuid) -> Self {
                Self(u)
            }
        }

        impl ::std::convert::From<$name> for $crate::id::Uuid {
            fn from(id: $name) -> $crate::id::Uuid {
                id.0
            }
        }

        impl ::std::convert::From<$name> for $crate::id::sea_orm::Value {
            fn from(id: $name) -> Self {
                $crate::id::sea_orm::Value::from(id.0)
            }
        }

        impl $crate::id::serde::Serialize for $name {
            fn serialize<S: $crate::id::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::id::serde::Serialize::serialize(&self.0, s)
            }
        }

        impl<'de> $crate::id::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::id::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <$crate::id::Uuid as $crate::id::serde::Deserialize>::deserialize(d).map(Self)
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
define_id!(
    /// Identifies a room of a centre's branch (booked by courses and
    /// events alike).
    RoomId
);
define_id!(
    /// Identifies an interpreter of a centre (booked by counselling,
    /// courses and events alike).
    InterpreterId
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
