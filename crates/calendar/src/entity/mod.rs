//! The `bookings` table.

pub mod booking;

integra_kernel::tenant_owned!(booking);
