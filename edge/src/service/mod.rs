//! The service: everything the API does, written against [`store::Store`] and
//! [`store::Runtime`] so it is tested on the host without workerd.

pub mod admin;
pub mod auth;
pub mod events;
pub mod orders;
pub mod shipments;
pub mod store;
pub mod tracking;
pub mod validate;

#[cfg(test)]
pub mod memory;
#[cfg(test)]
mod tests;
