//! What the element's attributes say.

use waypost_shared::labels::Lang;

/// The widget's settings, read once per mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The shop's publishable key.
    pub shop: String,
    /// The language, negotiated by the shared crate from the preferences.
    pub lang: Lang,
    /// A tracking number to show at once.
    pub tracking_number: Option<String>,
    /// An order number to prefill.
    pub order_number: Option<String>,
    /// The API origin, without a trailing slash.
    pub api: String,
}

impl Config {
    /// Reads the loader's strings; empty means absent.
    pub fn new(
        shop: String,
        languages: &str,
        tracking_number: String,
        order_number: String,
        api: String,
    ) -> Self {
        let present = |s: String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Config {
            shop,
            lang: Lang::negotiate(languages.split(',')),
            tracking_number: present(tracking_number),
            order_number: present(order_number),
            api: api.trim_end_matches('/').to_owned(),
        }
    }
}
