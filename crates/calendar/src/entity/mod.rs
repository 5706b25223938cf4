//! The `bookings` table.

pub mod booking;
